// git: an http.<url>.extraheader per organization through GIT_CONFIG_COUNT / GIT_CONFIG_KEY_n / GIT_CONFIG_VALUE_n,
// so nothing is written to any .gitconfig, and entries an earlier step set keep their indexes.
import type { ToolConfiguration } from './tool-configuration';
import type { ToolModule } from './tool-module';

export function gitHeader(token: string): string {
  return `AUTHORIZATION: bearer ${token}`;
}

/**
 * With a credential helper (the token service), git asks for a fresh token whenever a server wants one;
 * without it, git sends this job's token as a header.
 */
export function configureGit(organizations: readonly string[], token: string, existingCount: string | undefined, credentialHelper?: string): ToolConfiguration {
  if (organizations.length === 0) return { variables: [], files: [], secrets: [] };
  const parsed = Number(existingCount);
  const first = Number.isInteger(parsed) && parsed > 0 ? parsed : 0;
  const entry = (organization: string) =>
    credentialHelper === undefined
      ? { key: `http.${organization}.extraheader`, value: gitHeader(token) }
      : { key: `credential.${organization}.helper`, value: credentialHelper };
  const variables = organizations.flatMap((organization, index) => [
    { name: `GIT_CONFIG_KEY_${String(first + index)}`, value: entry(organization).key },
    { name: `GIT_CONFIG_VALUE_${String(first + index)}`, value: entry(organization).value },
  ]);
  variables.push({ name: 'GIT_CONFIG_COUNT', value: String(first + organizations.length) });
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
