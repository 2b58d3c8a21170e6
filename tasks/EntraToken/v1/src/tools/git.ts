// git: an http.<url>.extraheader per organization through GIT_CONFIG_COUNT / GIT_CONFIG_KEY_n / GIT_CONFIG_VALUE_n,
// so nothing is written to any .gitconfig, and entries an earlier step set keep their indexes. A second run for the
// same organization rewrites its entries in place (git would send two Authorization headers otherwise).
import type { ToolConfiguration } from './tool-configuration';
import type { ToolModule } from './tool-module';

export function gitHeader(token: string): string {
  return `AUTHORIZATION: bearer ${token}`;
}

interface GitEntry {
  readonly key: string;
  readonly value: string;
}

/**
 * git asks credential helpers in config order, so a system or global one (Git for Windows sets `manager`
 * system-wide) would be asked first and a stale one breaks the clone. An empty `credential.<url>.helper`
 * resets the list for that URL; ours comes right after it.
 */
function entriesFor(organization: string, token: string, credentialHelper: string | undefined): GitEntry[] {
  if (credentialHelper === undefined) return [{ key: `http.${organization}.extraheader`, value: gitHeader(token) }];
  const key = `credential.${organization}.helper`;
  return [
    { key, value: '' },
    { key, value: credentialHelper },
  ];
}

/** What an earlier step set: GIT_CONFIG_COUNT and the key at each index. */
export interface ExistingGitConfig {
  readonly count: string | undefined;
  keyAt(index: number): string | undefined;
}

export const NO_GIT_CONFIG: ExistingGitConfig = { count: undefined, keyAt: () => undefined };

function organizationKeys(organization: string): string[] {
  return [`http.${organization}.extraheader`, `credential.${organization}.helper`].map((key) => key.toLowerCase());
}

/**
 * With a credential helper (the token service), git asks for a fresh token whenever a server wants one;
 * without it, git sends this job's token as a header. An entry an earlier run set for the same organization is
 * reused in order; one of the other kind is emptied, which resets that list in git.
 */
export function configureGit(
  organizations: readonly string[],
  token: string,
  existing: ExistingGitConfig,
  credentialHelper?: string,
): ToolConfiguration {
  if (organizations.length === 0) return { variables: [], files: [], secrets: [] };
  const parsed = Number(existing.count);
  const count = Number.isInteger(parsed) && parsed > 0 ? Math.min(parsed, 1000) : 0;
  const ours = new Set(organizations.flatMap(organizationKeys));
  // git compares the URL part of a key exactly; the lower-cased form only finds our own earlier entries.
  const earlier = new Map<string, (GitEntry & { readonly index: number })[]>();
  for (let index = 0; index < count; index += 1) {
    const key = existing.keyAt(index);
    const folded = key?.toLowerCase();
    if (key !== undefined && folded !== undefined && ours.has(folded))
      earlier.set(folded, [...(earlier.get(folded) ?? []), { key, value: '', index }]);
  }
  const slots: { index: number; entry: GitEntry }[] = [];
  let next = count;
  for (const entry of organizations.flatMap((organization) => entriesFor(organization, token, credentialHelper))) {
    const reuse = earlier.get(entry.key.toLowerCase())?.shift();
    slots.push({ index: reuse?.index ?? next++, entry });
  }
  // Left-over entries of ours (the other kind, or a list that got shorter) are emptied, not left with a stale value.
  for (const left of [...earlier.values()].flat()) slots.push({ index: left.index, entry: { key: left.key, value: '' } });
  const variables = slots.flatMap(({ index, entry }) => [
    { name: `GIT_CONFIG_KEY_${String(index)}`, value: entry.key },
    { name: `GIT_CONFIG_VALUE_${String(index)}`, value: entry.value },
  ]);
  variables.push({ name: 'GIT_CONFIG_COUNT', value: String(next) });
  return { variables, files: [], secrets: credentialHelper === undefined ? [gitHeader(token)] : [] };
}

export interface GitTargets {
  readonly gitOrganizations: readonly string[];
}

export const gitTool: ToolModule<GitTargets> = {
  name: 'git',
  inputs: ['gitOrganizations'],
  scope: undefined,
  parse: (reader) => ({ gitOrganizations: reader.urls('gitOrganizations') }),
  isEmpty: (targets) => targets.gitOrganizations.length === 0,
  plan: (targets, context) => {
    const existing = {
      count: context.getSensitiveVariable('GIT_CONFIG_COUNT'),
      keyAt: (index: number) => context.getSensitiveVariable(`GIT_CONFIG_KEY_${String(index)}`),
    };
    return configureGit(targets.gitOrganizations, context.token, existing, context.gitCredentialHelper);
  },
  // The numbered GIT_CONFIG_* entries are one setting for the reader of the log.
  configured: (targets) => (targets.gitOrganizations.length > 0 ? ['GIT_CONFIG_*'] : []),
};
