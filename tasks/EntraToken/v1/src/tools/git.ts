// git: an http.<url>.extraheader per organization through GIT_CONFIG_COUNT / GIT_CONFIG_KEY_n / GIT_CONFIG_VALUE_n,
// so nothing is written to any .gitconfig, and entries an earlier step set keep their indexes.
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
  return [{ key, value: '' }, { key, value: credentialHelper }];
}

/**
 * With a credential helper (the token service), git asks for a fresh token whenever a server wants one;
 * without it, git sends this job's token as a header.
 */
export function configureGit(organizations: readonly string[], token: string, existingCount: string | undefined, credentialHelper?: string): ToolConfiguration {
  if (organizations.length === 0) return { variables: [], files: [], secrets: [] };
  const parsed = Number(existingCount);
  const first = Number.isInteger(parsed) && parsed > 0 ? parsed : 0;
  const entries = organizations.flatMap((organization) => entriesFor(organization, token, credentialHelper));
  const variables = entries.flatMap((entry, index) => [
    { name: `GIT_CONFIG_KEY_${String(first + index)}`, value: entry.key },
    { name: `GIT_CONFIG_VALUE_${String(first + index)}`, value: entry.value },
  ]);
  variables.push({ name: 'GIT_CONFIG_COUNT', value: String(first + entries.length) });
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
  plan: (targets, context) => configureGit(targets.gitOrganizations, context.token, context.getSensitiveVariable('GIT_CONFIG_COUNT'), context.gitCredentialHelper),
  // The numbered GIT_CONFIG_* entries are one setting for the reader of the log.
  configured: (targets) => (targets.gitOrganizations.length > 0 ? ['GIT_CONFIG_*'] : []),
};
