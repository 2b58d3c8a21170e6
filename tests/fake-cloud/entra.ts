// Fake Entra discovery: openid-configuration, instance discovery and JWKS.
// URLs are built from the Host header so that clients reaching the fake as
// login.microsoftonline.com (through the proxy) keep talking to that name.
import { jsonReply } from './http-util';
import type { Reply, RequestContext } from './http-util';
import { tenantNotFound } from './entra-errors';
import type { FakeCloudState } from './state';

const GENERIC_TENANTS = new Set(['common', 'organizations', 'consumers']);

export function handleOpenIdConfiguration(state: FakeCloudState, ctx: RequestContext, tenant: string): Reply {
  const generic = GENERIC_TENANTS.has(tenant.toLowerCase());
  if (!generic && !state.isKnownTenant(tenant)) {
    return tenantNotFound(ctx, tenant);
  }
  const base = `https://${ctx.host}/${tenant}`;
  return jsonReply(200, {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: generic ? `https://${ctx.host}/{tenantid}/v2.0` : `${base}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'tid', 'ver', 'oid'],
    kerberos_endpoint: `${base}/kerberos`,
    tenant_region_scope: 'WW',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
  });
}

/** GET /common/discovery/instance?api-version=1.1&authorization_endpoint=<authority>/oauth2/v2.0/authorize */
export function handleInstanceDiscovery(ctx: RequestContext): Reply {
  let tenant = 'common';
  const aliases = [ctx.host];
  try {
    const authorize = new URL(ctx.query.get('authorization_endpoint') ?? '');
    tenant = authorize.pathname.split('/')[1] ?? tenant;
    if (!aliases.includes(authorize.host)) aliases.push(authorize.host);
  } catch {
    // No or unparseable authorization_endpoint: answer for 'common', as Entra does.
  }
  return jsonReply(200, {
    tenant_discovery_endpoint: `https://${ctx.host}/${tenant}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [{ preferred_network: ctx.host, preferred_cache: ctx.host, aliases }],
  });
}

/** The key set behind jwks_uri: the fake Entra's access-token signing key. */
export function handleJwks(state: FakeCloudState): Reply {
  const jwk = state.entraKey.publicKey.export({ format: 'jwk' });
  return jsonReply(200, {
    keys: [{ kty: jwk.kty, use: 'sig', kid: state.entraKey.kid, n: jwk.n, e: jwk.e, alg: 'RS256' }],
  });
}
