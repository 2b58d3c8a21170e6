// Shape of a client_credentials token request: grant, client id, scope and
// exactly one client credential (secret in the body or HTTP Basic, or a JWT assertion).
import { invalidClient, malformedRequest } from './entra-errors';
import type { EntraErrorSpec } from './entra-errors';
import { headerValue } from './http-util';
import type { RequestContext } from './http-util';

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const DEFAULT_SUFFIX = '/.default';

export type PresentedCredential = { kind: 'secret'; secret: string } | { kind: 'assertion'; assertion: string };

export interface TokenRequest {
  clientId: string;
  /** The scope minus '/.default'. */
  resource: string;
  credential: PresentedCredential;
}

interface BasicCredentials {
  clientId: string;
  secret: string;
}

function missing(parameter: string): EntraErrorSpec {
  return {
    status: 400,
    error: 'invalid_request',
    code: 900144,
    text: `The request body must contain the following parameter: '${parameter}'.`,
  };
}

/** client_secret_basic (RFC 6749 2.3.1: both parts form-urlencoded); undefined without Basic auth, null when malformed. */
function basicCredentials(ctx: RequestContext): BasicCredentials | undefined | null {
  const header = headerValue(ctx.headers, 'authorization') ?? '';
  // Other schemes are not client authentication; ignore them as before.
  if (!/^Basic\s/i.test(header)) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/]+=*)$/i.exec(header);
  if (match?.[1] === undefined) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  const unescape = (part: string): string => decodeURIComponent(part.replace(/\+/g, ' '));
  try {
    return { clientId: unescape(decoded.slice(0, colon)), secret: unescape(decoded.slice(colon + 1)) };
  } catch {
    return null;
  }
}

function presentedCredential(form: URLSearchParams, basic: BasicCredentials | undefined): PresentedCredential | EntraErrorSpec {
  const secret = form.get('client_secret') ?? basic?.secret;
  const assertion = form.get('client_assertion_type') === JWT_BEARER ? form.get('client_assertion') : null;
  if (secret !== undefined && (assertion !== null || (basic !== undefined && form.has('client_secret')))) {
    return malformedRequest();
  }
  if (secret !== undefined) return { kind: 'secret', secret };
  if (assertion !== null) return { kind: 'assertion', assertion };
  return invalidClient(401, 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
}

/** Checks in Entra's order: grant_type, client_id, scope, then the client credential. */
export function parseTokenRequest(ctx: RequestContext): TokenRequest | EntraErrorSpec {
  const form = new URLSearchParams(ctx.body);
  const basic = basicCredentials(ctx);
  if (basic === null) return malformedRequest();
  const grantType = form.get('grant_type');
  if (grantType === null) return missing('grant_type');
  if (grantType !== 'client_credentials') {
    return {
      status: 400,
      error: 'unsupported_grant_type',
      code: 70003,
      text: `The app requested an unsupported grant type '${grantType}'.`,
    };
  }
  const formClientId = form.get('client_id');
  if (basic !== undefined && formClientId !== null && formClientId !== basic.clientId) return malformedRequest();
  const clientId = formClientId ?? basic?.clientId;
  if (clientId === undefined) return missing('client_id');
  const scope = form.get('scope');
  if (scope === null) return missing('scope');
  const scopes = scope.split(' ').filter((s) => s !== '');
  const only = scopes[0];
  if (scopes.length !== 1 || only === undefined || !only.endsWith(DEFAULT_SUFFIX) || only === DEFAULT_SUFFIX) {
    return {
      status: 400,
      error: 'invalid_scope',
      code: 1002012,
      text: `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    };
  }
  const credential = presentedCredential(form, basic);
  if (!('kind' in credential)) return credential;
  return { clientId, resource: only.slice(0, -DEFAULT_SUFFIX.length), credential };
}
