// Azure Container Registry: the ARM token is exchanged at https://<registry>/oauth2/exchange for an ACR refresh
// token, written as `identitytoken` into a Docker-format config.json under Agent.TempDirectory (merged with the
// config an earlier step or the user had). DOCKER_CONFIG and REGISTRY_AUTH_FILE point docker, skopeo, podman
// and buildah at it; the post-job step deletes it.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { TaskError, messages } from '../common/messages';
import { field, parseJson, stringField } from '../common/json';
import type { ToolConfiguration } from './tool-configuration';
import { NOTHING, type ToolContext, type ToolModule } from './tool-module';

/** The user name ACR expects with a refresh token. */
export const ACR_USER = '00000000-0000-0000-0000-000000000000';
export const ARM_SCOPE = 'https://management.azure.com/.default';

async function exchangeForRefreshToken(registry: string, context: ToolContext): Promise<string> {
  const body = new URLSearchParams({ grant_type: 'access_token', service: registry, access_token: context.token });
  if (context.tenantId !== '') body.set('tenant', context.tenantId);
  let response;
  try {
    response = await context.send({
      method: 'POST',
      url: `https://${registry}/oauth2/exchange`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
  } catch (error) {
    if (error instanceof TaskError) throw error;
    throw new TaskError(messages.registryExchangeFailed(registry, error instanceof Error ? error.message : String(error)));
  }
  const refreshToken = stringField(parseJson(response.bodyText), 'refresh_token');
  if (refreshToken !== undefined) context.secrets.register(refreshToken);
  if (response.status !== 200 || refreshToken === undefined)
    throw new TaskError(messages.registryExchangeFailed(registry, `HTTP ${String(response.status)}`));
  return refreshToken;
}

/** A JSON object's own fields, or none; anything else is not ours to keep. */
function asRecord(value: unknown): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return result;
  for (const key of Object.keys(value)) result[key] = field(value, key);
  return result;
}

export function dockerConfig(entries: readonly { registry: string; refreshToken: string }[], existing: string | undefined): string {
  const config = asRecord(existing === undefined ? undefined : parseJson(existing));
  const auths = asRecord(config.auths);
  const helpers = asRecord(config.credHelpers);
  for (const { registry, refreshToken } of entries) {
    auths[registry] = { auth: Buffer.from(`${ACR_USER}:`).toString('base64'), identitytoken: refreshToken };
    // A credential helper for the registry would win over auths.
    Reflect.deleteProperty(helpers, registry);
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
  for (const registry of registries) entries.push({ registry, refreshToken: await exchangeForRefreshToken(registry, context) });
  const directory = context.directory();
  const path = join(directory, 'config.json');
  return {
    variables: [
      { name: 'DOCKER_CONFIG', value: directory },
      { name: 'REGISTRY_AUTH_FILE', value: path },
    ],
    files: [{ path, content: dockerConfig(entries, earlierConfig(context)) }],
    secrets: [],
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
  configured: (targets, configuration) =>
    configuration.variables.length > 0 ? [`DOCKER_CONFIG, REGISTRY_AUTH_FILE (${targets.containerRegistries.join(', ')})`] : [],
};
