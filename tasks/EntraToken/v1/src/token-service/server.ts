// The service's HTTP face, on 127.0.0.1 only: the App Service managed-identity protocol (so any Azure SDK's
// ManagedIdentityCredential works unchanged), a plain /token endpoint for scripts, and /health for the post-job
// step. Every token route requires the random secret, compared in constant time, and an allowed scope.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { normalizeScope } from '../token/scope';
import type { TokenMinter } from './minter';

export interface ServerOptions {
  readonly secret: string;
  readonly allowedScopes: readonly string[];
  readonly clientId: string;
  readonly minter: TokenMinter;
  /** Scrubs every secret the service has seen from error text before a caller gets it. */
  readonly redact: (text: string) => string;
}

export const MI_API_VERSION = '2019-08-01';

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

function allowedScope(requested: string | null, options: ServerOptions): string | undefined {
  if (requested === null || requested === '') return options.allowedScopes[0];
  let scope: string;
  try {
    scope = normalizeScope(requested);
  } catch {
    return undefined;
  }
  return options.allowedScopes.includes(scope) ? scope : undefined;
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

export function createServiceServer(options: ServerOptions): Server {
  return createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (request.method === 'GET' && url.pathname === '/health') {
      reply(response, 200, { service: 'entratoken', pid: process.pid });
    } else if (request.method !== 'GET' || (url.pathname !== '/msi/token' && url.pathname !== '/token')) {
      refuse(response, 404, 'Not found.');
    } else {
      serveToken(request, response, url, options).catch((error: unknown) => {
        refuse(response, 502, options.redact(error instanceof Error ? error.message : 'The token could not be minted.'));
      });
    }
  });
}
