// POST /<tenant>/oauth2/v2.0/token: client_credentials with a client secret, a
// certificate-signed assertion or a federated assertion, checked roughly in Entra's order.
import { mintAccessToken } from './access-token';
import { audiences, checkLifetime } from './assertion-claims';
import { checkCertificateAssertion, checkClientSecret, isCertificateAssertion } from './client-credentials';
import { entraError, invalidClient, noMatchingFederatedRecord, tenantNotFound } from './entra-errors';
import type { EntraErrorSpec } from './entra-errors';
import { jsonReply } from './http-util';
import type { Reply, RequestContext } from './http-util';
import { decodeJwt, stringClaim, verifyJwtSignature } from './jwt';
import type { DecodedJwt } from './jwt';
import { TOKEN_EXCHANGE_AUDIENCE } from './state';
import type { FakeCloudState, RegisteredApp } from './state';
import { parseTokenRequest } from './token-request';
import type { PresentedCredential } from './token-request';

/** Steps 4-8 for federated assertions: the issuer's key, then the app's federated identity credentials. */
function checkFederatedAssertion(state: FakeCloudState, app: RegisteredApp, jwt: DecodedJwt, issuer: string): EntraErrorSpec | undefined {
  const key = state.knownSigningKey(issuer);
  if (key === undefined) {
    return { ...noMatchingFederatedRecord('issuer', issuer), status: 401 };
  }
  if (!verifyJwtSignature(jwt, key)) {
    return invalidClient(401, 700027, 'Client assertion failed signature validation.');
  }
  const lifetime = checkLifetime(jwt.payload);
  if (lifetime !== undefined) return lifetime;
  const presented = audiences(jwt.payload);
  const credentials = app.federatedCredentials;
  const accepted = new Set([TOKEN_EXCHANGE_AUDIENCE, ...credentials.map((c) => c.audience ?? TOKEN_EXCHANGE_AUDIENCE)]);
  if (!presented.some((a) => accepted.has(a))) {
    return noMatchingFederatedRecord('audience', presented.join(','));
  }
  if (credentials.length === 0) {
    return invalidClient(
      400,
      70025,
      `The client '${app.clientId}'(${app.displayName ?? ''}) has no configured federated identity credentials.`,
    );
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

function checkCredential(
  state: FakeCloudState,
  ctx: RequestContext,
  tenant: string,
  app: RegisteredApp,
  credential: PresentedCredential,
): EntraErrorSpec | undefined {
  if (credential.kind === 'secret') {
    return checkClientSecret(app, credential.secret);
  }
  const jwt = decodeJwt(credential.assertion);
  const issuer = jwt === undefined ? undefined : stringClaim(jwt.payload, 'iss');
  if (jwt === undefined || issuer === undefined) {
    return invalidClient(401, 50027, 'JWT token is invalid or malformed.');
  }
  if (isCertificateAssertion(jwt, app)) {
    // msal-node sets aud to the token_endpoint from openid-configuration, which the fake builds from Host.
    return checkCertificateAssertion(jwt, app, `https://${ctx.host}/${tenant}/oauth2/v2.0/token`);
  }
  return checkFederatedAssertion(state, app, jwt, issuer);
}

export function handleToken(state: FakeCloudState, ctx: RequestContext, tenant: string): Reply {
  if (!state.isKnownTenant(tenant)) {
    return tenantNotFound(ctx, tenant);
  }
  const request = parseTokenRequest(ctx);
  if (!('resource' in request)) {
    return entraError(ctx, request);
  }
  const { clientId } = request;
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
    return entraError(ctx, {
      status: 400,
      error: 'unauthorized_client',
      code: 7000112,
      text: `Application '${app.clientId}' is disabled.`,
    });
  }
  const refusal = checkCredential(state, ctx, tenant, app, request.credential);
  if (refusal !== undefined) {
    return entraError(ctx, refusal);
  }
  const lifetime = state.accessTokenLifetimeSeconds;
  return jsonReply(
    200,
    { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: mintAccessToken(state, app, request.resource) },
    { 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache' },
  );
}
