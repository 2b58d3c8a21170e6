// POST /<tenant>/oauth2/v2.0/token: client_credentials with a federated
// client assertion, checked in the same order as the brief (and roughly Entra).
import { mintAccessToken } from './access-token';
import { entraError, noMatchingFederatedRecord, tenantNotFound } from './entra-errors';
import type { EntraErrorSpec } from './entra-errors';
import { jsonReply } from './http-util';
import type { Reply, RequestContext } from './http-util';
import { decodeJwt, nowSeconds, numberClaim, stringClaim, verifyJwtSignature } from './jwt';
import type { JsonObject } from './jwt';
import { TOKEN_EXCHANGE_AUDIENCE } from './state';
import type { FakeCloudState, RegisteredApp } from './state';

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const DEFAULT_SUFFIX = '/.default';

function missing(parameter: string): EntraErrorSpec {
  return {
    status: 400,
    error: 'invalid_request',
    code: 900144,
    text: `The request body must contain the following parameter: '${parameter}'.`,
  };
}

function invalidClient(status: number, code: number, text: string): EntraErrorSpec {
  return { status, error: 'invalid_client', code, text };
}

/** Request-shape checks that do not depend on the app; returns the resource (scope minus /.default). */
function checkShape(form: URLSearchParams): EntraErrorSpec | { resource: string } {
  const grantType = form.get('grant_type');
  if (grantType === null) return missing('grant_type');
  if (grantType !== 'client_credentials') {
    return { status: 400, error: 'unsupported_grant_type', code: 70003, text: `The app requested an unsupported grant type '${grantType}'.` };
  }
  if (form.get('client_id') === null) return missing('client_id');
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
  if (form.get('client_assertion_type') !== JWT_BEARER || form.get('client_assertion') === null) {
    return invalidClient(401, 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
  }
  return { resource: only.slice(0, -DEFAULT_SUFFIX.length) };
}

function audiences(payload: JsonObject): string[] {
  const aud = payload['aud'];
  if (typeof aud === 'string') return [aud];
  return Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : [];
}

function isoSeconds(seconds: number | undefined): string {
  return seconds === undefined ? 'unknown' : new Date(seconds * 1000).toISOString();
}

/** Steps 4-8: the assertion itself and the app's federated identity credentials. */
function checkAssertion(state: FakeCloudState, app: RegisteredApp, assertion: string): EntraErrorSpec | undefined {
  const jwt = decodeJwt(assertion);
  const issuer = jwt === undefined ? undefined : stringClaim(jwt.payload, 'iss');
  if (jwt === undefined || issuer === undefined) {
    return invalidClient(401, 50027, 'JWT token is invalid or malformed.');
  }
  const key = state.knownSigningKey(issuer);
  if (key === undefined) {
    return { ...noMatchingFederatedRecord('issuer', issuer), status: 401 };
  }
  if (!verifyJwtSignature(jwt, key)) {
    return invalidClient(401, 700027, 'Client assertion failed signature validation.');
  }
  const now = nowSeconds();
  const exp = numberClaim(jwt.payload, 'exp');
  const nbf = numberClaim(jwt.payload, 'nbf');
  // Strict on purpose: no clock skew allowance, so expiry tests are deterministic.
  if (exp === undefined || exp <= now || (nbf !== undefined && nbf > now)) {
    return invalidClient(
      400,
      700024,
      `Client assertion is not within its valid time range. Current time: ${isoSeconds(now)}, assertion valid from ${isoSeconds(nbf)}, expiry time of assertion ${isoSeconds(exp)}. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .`,
    );
  }
  const presented = audiences(jwt.payload);
  const credentials = app.federatedCredentials;
  const accepted = new Set([TOKEN_EXCHANGE_AUDIENCE, ...credentials.map((c) => c.audience ?? TOKEN_EXCHANGE_AUDIENCE)]);
  if (!presented.some((a) => accepted.has(a))) {
    return noMatchingFederatedRecord('audience', presented.join(','));
  }
  if (credentials.length === 0) {
    return invalidClient(400, 70025, `The client '${app.clientId}'(${app.displayName ?? ''}) has no configured federated identity credentials.`);
  }
  const byIssuer = credentials.filter((c) => c.issuer === issuer);
  if (byIssuer.length === 0) return noMatchingFederatedRecord('issuer', issuer);
  const subject = stringClaim(jwt.payload, 'sub') ?? '';
  const bySubject = byIssuer.filter((c) => c.subject === subject);
  if (bySubject.length === 0) return noMatchingFederatedRecord('subject', subject);
  if (!bySubject.some((c) => presented.includes(c.audience ?? TOKEN_EXCHANGE_AUDIENCE))) {
    return noMatchingFederatedRecord('audience', presented.join(','));
  }
  return undefined;
}

export function handleToken(state: FakeCloudState, ctx: RequestContext, tenant: string): Reply {
  if (!state.isKnownTenant(tenant)) {
    return tenantNotFound(ctx, tenant);
  }
  const form = new URLSearchParams(ctx.body);
  const shape = checkShape(form);
  if (!('resource' in shape)) {
    return entraError(ctx, shape);
  }
  const clientId = form.get('client_id') ?? '';
  const app = state.findApp(tenant, clientId);
  if (app === undefined) {
    return entraError(ctx, {
      status: 400,
      error: 'unauthorized_client',
      code: 700016,
      text: `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    });
  }
  if (app.disabled) {
    return entraError(ctx, { status: 400, error: 'unauthorized_client', code: 7000112, text: `Application '${app.clientId}' is disabled.` });
  }
  const refusal = checkAssertion(state, app, form.get('client_assertion') ?? '');
  if (refusal !== undefined) {
    return entraError(ctx, refusal);
  }
  const lifetime = state.accessTokenLifetimeSeconds;
  return jsonReply(
    200,
    { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: mintAccessToken(state, app, shape.resource) },
    { 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache' },
  );
}
