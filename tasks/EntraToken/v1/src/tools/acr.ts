// Azure Container Registry: the ARM token is exchanged at https://<registry>/oauth2/exchange for an ACR refresh
// token, written as `identitytoken` into a Docker-format config.json under Agent.TempDirectory (merged with the
// config an earlier step or the user had). DOCKER_CONFIG and REGISTRY_AUTH_FILE point docker, skopeo, podman
// and buildah at it; the post-job step deletes it. With the token service, the config also names a credential
// helper for each registry, so clients that run helpers get a fresh refresh token for the whole job.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { field, parseJson } from '../common/json';
import { ARM_SCOPE, exchangeForRefreshToken } from './acr-exchange';
import type { ToolConfiguration, ToolFile } from './tool-configuration';
import { NOTHING, type ToolContext, type ToolModule } from './tool-module';

/** The user name ACR expects with a refresh token. */
export const ACR_USER = '00000000-0000-0000-0000-000000000000';

/** A JSON object's own fields, or none; anything else is not ours to keep. */
function asRecord(value: unknown): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return result;
  for (const key of Object.keys(value)) result[key] = field(value, key);
  return result;
}

/** `helper`: the credHelpers suffix that serves these registries; without one, an earlier helper entry is removed. */
export function dockerConfig(
  entries: readonly { registry: string; refreshToken: string }[],
  existing: string | undefined,
  helper?: string,
): string {
  const config = asRecord(existing === undefined ? undefined : parseJson(existing));
  const auths = asRecord(config.auths);
  const helpers = asRecord(config.credHelpers);
  for (const { registry, refreshToken } of entries) {
    // Kept with a helper too: a client that runs no helpers still has a token for the next three hours.
    auths[registry] = { auth: Buffer.from(`${ACR_USER}:`).toString('base64'), identitytoken: refreshToken };
    // A credential helper for the registry wins over auths, so another one must go.
    if (helper === undefined) Reflect.deleteProperty(helpers, registry);
    else helpers[registry] = helper;
  }
  const merged: Record<string, unknown> = { ...config, auths };
  if (Object.keys(helpers).length > 0) merged.credHelpers = helpers;
  else Reflect.deleteProperty(merged, 'credHelpers');
  return `${JSON.stringify(merged, null, 2)}\n`;
}

function earlierConfig(context: ToolContext): string | undefined {
  const dockerDirectory = context.getSensitiveVariable('DOCKER_CONFIG');
  return (
    context.readOptionalFile(context.getSensitiveVariable('REGISTRY_AUTH_FILE')) ??
    context.readOptionalFile(dockerDirectory === undefined ? undefined : join(dockerDirectory, 'config.json')) ??
    context.readOptionalFile(join(homedir(), '.docker', 'config.json'))
  );
}

export async function configureRegistries(registries: readonly string[], context: ToolContext): Promise<ToolConfiguration> {
  if (registries.length === 0) return NOTHING;
  const entries = [];
  for (const registry of registries)
    entries.push({ registry, refreshToken: await exchangeForRefreshToken(registry, context.token, context) });
  const directory = context.directory();
  const path = join(directory, 'config.json');
  const helper = context.dockerCredentialHelper;
  const files: ToolFile[] = [{ path, content: dockerConfig(entries, earlierConfig(context), helper?.suffix) }];
  if (helper !== undefined) files.push({ path: join(directory, helper.script.fileName), content: helper.script.content, executable: true });
  return {
    variables: [
      { name: 'DOCKER_CONFIG', value: directory },
      { name: 'REGISTRY_AUTH_FILE', value: path },
    ],
    files,
    secrets: [],
    paths: helper === undefined ? [] : [directory],
  };
}

export interface RegistryTargets {
  readonly containerRegistries: readonly string[];
}

export const acrTool: ToolModule<RegistryTargets> = {
  name: 'container registries',
  inputs: ['containerRegistries'],
  scope: ARM_SCOPE,
  parse: (reader) => ({ containerRegistries: reader.hosts('containerRegistries') }),
  isEmpty: (targets) => targets.containerRegistries.length === 0,
  plan: (targets, context) => configureRegistries(targets.containerRegistries, context),
  configured: (targets, configuration) => {
    if (configuration.variables.length === 0) return [];
    const helper = configuration.paths?.length ? ', the docker-credential-entratoken helper on PATH' : '';
    return [`DOCKER_CONFIG, REGISTRY_AUTH_FILE${helper} (${targets.containerRegistries.join(', ')})`];
  },
};
