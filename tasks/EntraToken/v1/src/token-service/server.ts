// The service's HTTP face, on 127.0.0.1 only: the App Service managed-identity protocol (so any Azure SDK's
// ManagedIdentityCredential works unchanged), a plain /token endpoint for scripts, /health, and /shutdown for the
// post-job step. Every route but /health requires a random secret, compared in constant time; every request must
// name the loopback address and port in its Host header (no DNS rebinding), and a token only the connection's
// identity and an allowed scope.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { scopeKey } from '../token/scope';
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
}

export const MI_API_VERSION = '2019-08-01';
/** Query parameters through which a managed-identity caller names a user-assigned identity. */
export const IDENTITY_PARAMETERS = ['client_id', 'clientid', 'object_id', 'principal_id', 'mi_res_id', 'msi_res_id'] as const;

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Hashing first makes the comparison constant-time whatever the length of what the caller sent. */
export function secretMatches(expected: string, presented: string | string[] | undefined): boolean {
  return typeof presented === 'string' && timingSafeEqual(digest(expected), digest(presented));
}

function reply(response: ServerResponse, status: number, body: Record<string, unknown>): void {
  response.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  response.end(JSON.stringify(body));
}

/** App Service error shape: msal-node reads a reply without `message` as a success. */
function refuse(response: ServerResponse, status: number, message: string): void {
  reply(response, status, { statusCode: status, message });
}

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

/** Who may ask and for what: the secret header, the protocol version, and a scope on the allow-list. */
function admit(request: IncomingMessage, url: URL, options: ServerOptions): Refusal | { readonly scope: string; readonly requested: string | null } {
  const managedIdentity = url.pathname === '/msi/token';
  const presented = managedIdentity ? request.headers['x-identity-header'] : request.headers['x-entratoken-secret'];
  if (!secretMatches(options.secret, presented)) return { status: 401, message: 'Missing or wrong secret header.' };
  if (managedIdentity && url.searchParams.get('api-version') !== MI_API_VERSION) return { status: 400, message: `Use api-version=${MI_API_VERSION}.` };
  const requested = managedIdentity ? url.searchParams.get('resource') : url.searchParams.get('scope');
  if (managedIdentity && !requested) return { status: 400, message: 'The resource parameter is required.' };
  const identity = identityRefusal(url, options.clientId);
  if (identity !== undefined) return { status: 400, message: identity };
  const scope = allowedScope(requested, options);
  if (scope === undefined) return { status: 403, message: `This token service does not serve '${requested ?? ''}'. Add it to the task's tokenServiceScopes input.` };
  return { scope, requested };
}

async function serveToken(request: IncomingMessage, response: ServerResponse, url: URL, options: ServerOptions): Promise<void> {
  const admitted = admit(request, url, options);
  if ('status' in admitted) {
    refuse(response, admitted.status, admitted.message);
    return;
  }
  const token = await options.minter.get(admitted.scope, url.searchParams.get('refresh') === 'true');
  if (url.pathname === '/msi/token') {
    const expiresOn = String(Math.floor(token.expiresOn.getTime() / 1000));
    reply(response, 200, { access_token: token.token, expires_on: expiresOn, resource: admitted.requested, token_type: 'Bearer', client_id: options.clientId });
  } else {
    reply(response, 200, { access_token: token.token, expires_on: token.expiresOn.toISOString(), scope: admitted.scope, token_type: 'Bearer' });
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
    } else if (request.method !== 'GET' || (url.pathname !== '/msi/token' && url.pathname !== '/token')) {
      refuse(response, 404, 'Not found.');
    } else {
      serveToken(request, response, url, options).catch((error: unknown) => {
        refuse(response, 502, options.redact(error instanceof Error ? error.message : 'The token could not be minted.'));
      });
    }
  });
}
