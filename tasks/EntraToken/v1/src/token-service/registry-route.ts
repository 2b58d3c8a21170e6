// GET /registry?host=<registry>: an ACR refresh token for a registry the task configured, for the
// docker-credential-entratoken helper. Only registries in the task's containerRegistries input are served, so a
// later step cannot have the connection's ARM token sent to a host of its choosing.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { refuse, reply, secretMatches } from './replies';

export const REGISTRY_PATH = '/registry';

export interface RegistryToken {
  readonly refreshToken: string;
  readonly expiresOn: Date | undefined;
}

export interface RegistryTokenSource {
  serves(registry: string): boolean;
  get(registry: string): Promise<RegistryToken>;
}

export interface RegistryRouteOptions {
  readonly secret: string;
  readonly registries: RegistryTokenSource;
  readonly redact: (text: string) => string;
}

export async function serveRegistry(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  options: RegistryRouteOptions,
): Promise<void> {
  if (!secretMatches(options.secret, request.headers['x-entratoken-secret'])) {
    refuse(response, 401, 'Missing or wrong secret header.');
    return;
  }
  const registry = (url.searchParams.get('host') ?? '').toLowerCase();
  if (registry === '') {
    refuse(response, 400, 'Name the registry: /registry?host=<login server>.');
    return;
  }
  if (!options.registries.serves(registry)) {
    refuse(response, 403, `This token service does not serve registry '${registry}'. Add it to the task's containerRegistries input.`);
    return;
  }
  try {
    const token = await options.registries.get(registry);
    reply(response, 200, { refresh_token: token.refreshToken, expires_on: token.expiresOn?.toISOString() ?? null });
  } catch (error) {
    refuse(response, 502, options.redact(error instanceof Error ? error.message : 'The registry token could not be obtained.'));
  }
}
