// npm: a user .npmrc with an _authToken line per registry, keeping the lines of the .npmrc an earlier step
// pointed NPM_CONFIG_USERCONFIG at. The file lives under Agent.TempDirectory and is deleted after the job.
import { join } from 'node:path';
import type { ToolConfiguration } from './tool-configuration';
import { variableNames, type ToolModule } from './tool-module';

export const NPM_VARIABLE = 'NPM_CONFIG_USERCONFIG';

/** npm's "nerf dart": the registry URL without its scheme, ending in a slash. */
export function nerfDart(registry: string): string {
  const url = new URL(registry);
  const path = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
  return `//${url.host}${path}`;
}

function authLines(registry: string, token: string): string[] {
  const dart = nerfDart(registry);
  // Azure Artifacts serves tarballs from the feed's parent path, so its docs configure both.
  const darts = dart.endsWith('/registry/') ? [dart, dart.slice(0, -'registry/'.length)] : [dart];
  return darts.map((prefix) => `${prefix}:_authToken=${token}`);
}

export function configureNpm(
  registries: readonly string[],
  token: string,
  existing: string | undefined,
  directory: string,
): ToolConfiguration {
  if (registries.length === 0) return { variables: [], files: [], secrets: [] };
  const lines = registries.flatMap((registry) => authLines(registry, token));
  const replaced = new Set(lines.map((line) => line.slice(0, line.indexOf(':_authToken='))));
  const kept = (existing ?? '').split(/\r?\n/).filter((line) => {
    const separator = line.indexOf(':_authToken=');
    return line.trim() !== '' && !(separator > 0 && replaced.has(line.slice(0, separator).trim()));
  });
  const path = join(directory, '.npmrc');
  return {
    variables: [{ name: NPM_VARIABLE, value: path }],
    files: [{ path, content: `${[...kept, ...lines].join('\n')}\n` }],
    secrets: [],
  };
}

export interface NpmTargets {
  readonly npmRegistries: readonly string[];
}

export const npmTool: ToolModule<NpmTargets> = {
  name: 'npm',
  inputs: ['npmRegistries'],
  scope: undefined,
  parse: (reader) => ({ npmRegistries: reader.urls('npmRegistries') }),
  isEmpty: (targets) => targets.npmRegistries.length === 0,
  plan: (targets, context) => {
    const directory = targets.npmRegistries.length > 0 ? context.directory() : '';
    return configureNpm(
      targets.npmRegistries,
      context.token,
      context.readOptionalFile(context.getSensitiveVariable(NPM_VARIABLE)),
      directory,
    );
  },
  configured: (_targets, configuration) => variableNames(configuration),
};
