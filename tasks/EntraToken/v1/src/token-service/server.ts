// The service's HTTP face, on 127.0.0.1 only: the App Service managed-identity protocol in both its versions (so
// any Azure SDK's ManagedIdentityCredential works unchanged: 2019-08-01 through IDENTITY_ENDPOINT, 2017-09-01
// through MSI_ENDPOINT for older SDKs and tools), a plain /token endpoint for scripts, /registry for the docker
// credential helper, /health, and /shutdown for the post-job step. Every route but /health requires a random secret,
// compared in constant time; every request must name the loopback address and port in its Host header (no DNS
// rebinding), and a token only the connection's identity and an allowed scope.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { scopeKey } from '../token/scope';
import { refuse, reply, secretMatches } from './replies';
import { REGISTRY_PATH, serveRegistry, type RegistryTokenSource } from './registry-route';
import type { TokenMinter } from './minter';
import type { ServiceSummary } from './summary';

export interface ServerOptions {
  readonly secret: string;
  readonly allowedScopes: readonly string[];
  readonly clientId: string;
  readonly minter: TokenMinter;
  /** Stops the service: the post-job step presents it (X-EntraToken-Control) on POST /shutdown. */
  readonly controlSecret: string;
  readonly summary: () => ServiceSummary;
  /** Runs once the shutdown answer has been sent. */
  readonly onShutdown: () => void;
  /** Scrubs every secret the service has seen from error text before a caller gets it. */
  readonly redact: (text: string) => string;
  /** ACR refresh tokens for the docker credential helper (the task's containerRegistries). */
  readonly registries: RegistryTokenSource;
}

export { secretMatches };

export const MI_API_VERSION = '2019-08-01';
/** The older App Service version: a `secret` header, and expires_on as a date. */
export const LEGACY_MI_API_VERSION = '2017-09-01';
export const MI_PATH = '/msi/token';
/** msrestazure appends a slash before the query (`${MSI_ENDPOINT}/?resource=…`). */
const MI_PATHS = new Set([MI_PATH, `${MI_PATH}/`]);
/** Query parameters through which a managed-identity caller names a user-assigned identity. */
export const IDENTITY_PARAMETERS = ['client_id', 'clientid', 'object_id', 'principal_id', 'mi_res_id', 'msi_res_id'] as const;

/** The allowed scope, in the spelling it was allowed, that names the same resource as the request. */
function allowedScope(requested: string | null, options: ServerOptions): string | undefined {
  if (requested === null || requested === '') return options.allowedScopes[0];
  const key = scopeKey(requested);
  return key === undefined ? undefined : options.allowedScopes.find((allowed) => scopeKey(allowed) === key);
}

/** A caller may name the connection's own client id; any other identity is not one this service can serve. */
function identityRefusal(url: URL, clientId: string): string | undefined {
  for (const name of IDENTITY_PARAMETERS) {
    const value = url.searchParams.get(name);
    if (value === null || value === '') continue;
    if ((name === 'client_id' || name === 'clientid') && value.toLowerCase() === clientId.toLowerCase()) continue;
    return `This token service serves only the service connection's identity (client id ${clientId}); '${name}' names another. Remove '${name}' from the request (for example unset AZURE_CLIENT_ID), or set it to ${clientId}.`;
  }
  return undefined;
}

/** DNS rebinding: a page on another name that resolves to 127.0.0.1 sends its own name as Host. */
export function hostAllowed(host: string | undefined, port: number | undefined): boolean {
  if (host === undefined || port === undefined) return false;
  const name = host.toLowerCase();
  return name === `127.0.0.1:${String(port)}` || name === `localhost:${String(port)}`;
}

interface Refusal {
  readonly status: number;
  readonly message: string;
}

/** The managed-identity version a request speaks, with the header that carries its secret. */
function managedIdentityVersion(url: URL): { readonly version: string; readonly header: string } | undefined {
  const version = url.searchParams.get('api-version');
  if (version === MI_API_VERSION) return { version, header: 'x-identity-header' };
  if (version === LEGACY_MI_API_VERSION) return { version, header: 'secret' };
  return undefined;
}

interface Admitted {
  readonly scope: string;
  readonly requested: string | null;
  readonly version: string | undefined;
}

/** Who may ask and for what: the secret header, the protocol version, and a scope on the allow-list. */
function admit(request: IncomingMessage, url: URL, options: ServerOptions): Refusal | Admitted {
  const managedIdentity = MI_PATHS.has(url.pathname);
  const protocol = managedIdentity ? managedIdentityVersion(url) : undefined;
  const headers = managedIdentity
    ? [request.headers['x-identity-header'], request.headers.secret]
    : [request.headers['x-entratoken-secret']];
  if (!headers.some((presented) => secretMatches(options.secret, presented)))
    return { status: 401, message: 'Missing or wrong secret header.' };
  if (managedIdentity && protocol === undefined)
    return {
      status: 400,
      message: `Use api-version=${MI_API_VERSION} (header X-IDENTITY-HEADER) or ${LEGACY_MI_API_VERSION} (header secret).`,
    };
  if (protocol !== undefined && !secretMatches(options.secret, request.headers[protocol.header]))
    return { status: 401, message: `api-version ${protocol.version} takes the secret in the '${protocol.header}' header.` };
  const requested = managedIdentity ? url.searchParams.get('resource') : url.searchParams.get('scope');
  if (managedIdentity && !requested) return { status: 400, message: 'The resource parameter is required.' };
  const identity = identityRefusal(url, options.clientId);
  if (identity !== undefined) return { status: 400, message: identity };
  const scope = allowedScope(requested, options);
  if (scope === undefined)
    return {
      status: 403,
      message: `This token service does not serve '${requested ?? ''}'. Add it to the task's tokenServiceScopes input.`,
    };
  return { scope, requested, version: protocol?.version };
}

/** 2017-09-01 gives expiry as a date, 'MM/DD/YYYY HH:MM:SS +00:00', which the SDKs parse. */
export function legacyExpiry(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getUTCMonth() + 1)}/${two(date.getUTCDate())}/${String(date.getUTCFullYear())} ${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +00:00`;
}

async function serveToken(request: IncomingMessage, response: ServerResponse, url: URL, options: ServerOptions): Promise<void> {
  const admitted = admit(request, url, options);
  if ('status' in admitted) {
    refuse(response, admitted.status, admitted.message);
    return;
  }
  const token = await options.minter.get(admitted.scope, url.searchParams.get('refresh') === 'true');
  if (admitted.version === LEGACY_MI_API_VERSION) {
    reply(response, 200, {
      access_token: token.token,
      expires_on: legacyExpiry(token.expiresOn),
      resource: admitted.requested,
      token_type: 'Bearer',
      client_id: options.clientId,
    });
  } else if (admitted.version !== undefined) {
    const expiresOn = String(Math.floor(token.expiresOn.getTime() / 1000));
    reply(response, 200, {
      access_token: token.token,
      expires_on: expiresOn,
      resource: admitted.requested,
      token_type: 'Bearer',
      client_id: options.clientId,
    });
  } else {
    reply(response, 200, {
      access_token: token.token,
      expires_on: token.expiresOn.toISOString(),
      scope: admitted.scope,
      token_type: 'Bearer',
    });
  }
}

function shutdown(request: IncomingMessage, response: ServerResponse, options: ServerOptions): void {
  if (!secretMatches(options.controlSecret, request.headers['x-entratoken-control'])) {
    refuse(response, 401, 'Missing or wrong control header.');
    return;
  }
  response.once('finish', options.onShutdown);
  reply(response, 200, { ...options.summary() });
}

export const CLOUD_SHELL_REFUSAL =
  'This token service needs a GET with its secret header (App Service protocol); it does not serve the Cloud Shell protocol that Azure CLI before 2.73 uses for az login --identity (2.73 and later read IDENTITY_ENDPOINT). Set APPSETTING_WEBSITE_SITE_NAME=entratoken for az login --identity, or use: az login --service-principal -u "$AZURE_CLIENT_ID" --tenant "$AZURE_TENANT_ID" --federated-token "$(cat "$AZURE_FEDERATED_TOKEN_FILE")".';

export function createServiceServer(options: ServerOptions): Server {
  return createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (!hostAllowed(request.headers.host, request.socket.localPort)) {
      refuse(response, 421, 'Send the request to the address in IDENTITY_ENDPOINT or ENTRATOKEN_SERVICE_URL, unchanged.');
    } else if (request.method === 'GET' && url.pathname === '/health') {
      // Nothing about the process without the secret.
      reply(response, 200, { status: 'ok' });
    } else if (request.method === 'POST' && url.pathname === '/shutdown') {
      shutdown(request, response, options);
    } else if (request.method === 'POST' && MI_PATHS.has(url.pathname)) {
      // Azure CLI 2.45's `az login --identity` POSTs here without a secret (the Cloud Shell protocol).
      refuse(response, 405, CLOUD_SHELL_REFUSAL);
    } else if (request.method === 'GET' && url.pathname === REGISTRY_PATH) {
      void serveRegistry(request, response, url, options);
    } else if (request.method !== 'GET' || (!MI_PATHS.has(url.pathname) && url.pathname !== '/token')) {
      refuse(response, 404, 'Not found.');
    } else {
      serveToken(request, response, url, options).catch((error: unknown) => {
        refuse(response, 502, options.redact(error instanceof Error ? error.message : 'The token could not be minted.'));
      });
    }
  });
}
