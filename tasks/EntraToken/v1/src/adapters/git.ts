// git: an http.<url>.extraheader per organization through GIT_CONFIG_COUNT / GIT_CONFIG_KEY_n / GIT_CONFIG_VALUE_n,
// so nothing is written to any .gitconfig, and entries an earlier step set keep their indexes.
import type { ToolConfiguration } from './tool-configuration';

export function gitHeader(token: string): string {
  return `AUTHORIZATION: bearer ${token}`;
}

export function configureGit(organizations: readonly string[], token: string, existingCount: string | undefined): ToolConfiguration {
  if (organizations.length === 0) return { variables: [], files: [], secrets: [] };
  const parsed = Number(existingCount);
  const first = Number.isInteger(parsed) && parsed > 0 ? parsed : 0;
  const variables = organizations.flatMap((organization, index) => [
    { name: `GIT_CONFIG_KEY_${String(first + index)}`, value: `http.${organization}.extraheader` },
    { name: `GIT_CONFIG_VALUE_${String(first + index)}`, value: gitHeader(token) },
  ]);
  variables.push({ name: 'GIT_CONFIG_COUNT', value: String(first + organizations.length) });
  return { variables, files: [], secrets: [gitHeader(token)] };
}
