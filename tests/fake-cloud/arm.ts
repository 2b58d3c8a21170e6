// Fake Azure Resource Manager: the two lists `az login` reads (subscriptions, tenants). Like ARM, it checks the
// bearer token's signature, expiry, audience and tenant before answering, and refuses in ARM's error envelope.
import { verifyAccessToken } from './access-token';
import { bearerToken, jsonReply } from './http-util';
import type { Reply, RequestContext } from './http-util';
import type { FakeCloudState, Principal } from './state';

/** The audiences ARM accepts (with and without the trailing slash, as ARM does). */
export const ARM_AUDIENCES: readonly string[] = [
  'https://management.core.windows.net/',
  'https://management.core.windows.net',
  'https://management.azure.com/',
  'https://management.azure.com',
];

function armError(status: number, code: string, message: string, headers: Record<string, string> = {}): Reply {
  return jsonReply(status, { error: { code, message } }, headers);
}

function unauthorized(code: string, message: string): Reply {
  // ARM's challenge names the authority to get a token from.
  const challenge = `Bearer authorization_uri="https://login.windows.net/", error="invalid_token", error_description="${message}"`;
  return armError(401, code, message, { 'WWW-Authenticate': challenge });
}

/** The caller's principal, or the 401 ARM would answer. */
function authenticate(state: FakeCloudState, ctx: RequestContext): Principal | Reply {
  const token = bearerToken(ctx.headers);
  if (token === undefined) {
    return unauthorized('AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.");
  }
  const claims = verifyAccessToken(state, token);
  if (claims === undefined) {
    return unauthorized('InvalidAuthenticationToken', 'The access token is invalid.');
  }
  if (!ARM_AUDIENCES.includes(claims.aud)) {
    const allowed = ARM_AUDIENCES.map((a) => `'${a}'`).join(',');
    return unauthorized(
      'InvalidAuthenticationTokenAudience',
      `The access token has been obtained for wrong audience or resource '${claims.aud}'. It should exactly match with one of the allowed audiences ${allowed}.`,
    );
  }
  const principal = state.isKnownTenant(claims.tid) ? state.findPrincipal(claims.tid, claims.appid) : undefined;
  if (principal === undefined || principal.disabled) {
    return unauthorized('InvalidAuthenticationTokenTenant', `The access token is from the wrong issuer '${claims.iss}'.`);
  }
  return principal;
}

function withApiVersion(ctx: RequestContext, answer: () => Reply): Reply {
  const version = ctx.query.get('api-version');
  if (version === null || version === '') {
    return armError(400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.');
  }
  return answer();
}

/** GET /subscriptions?api-version=…: the caller's subscriptions (Subscriptions - List, 2016-06-01 and later). */
export function handleSubscriptions(state: FakeCloudState, ctx: RequestContext): Reply {
  const principal = authenticate(state, ctx);
  if ('status' in principal) return principal;
  return withApiVersion(ctx, () => {
    const value = principal.subscriptions.map((s) => ({
      id: `/subscriptions/${s.subscriptionId}`,
      authorizationSource: 'RoleBased',
      managedByTenants: [],
      subscriptionId: s.subscriptionId,
      tenantId: principal.tenantId,
      displayName: s.displayName,
      state: 'Enabled',
      subscriptionPolicies: { locationPlacementId: 'Public_2014-09-01', quotaId: 'PayAsYouGo_2014-09-01', spendingLimit: 'Off' },
    }));
    return jsonReply(200, { value, count: { type: 'Total', value: value.length } });
  });
}

/** GET /tenants?api-version=…: the caller's home tenant (Tenants - List). */
export function handleTenants(state: FakeCloudState, ctx: RequestContext): Reply {
  const principal = authenticate(state, ctx);
  if ('status' in principal) return principal;
  return withApiVersion(ctx, () => {
    const { tenantId } = principal;
    const value = [
      {
        id: `/tenants/${tenantId}`,
        tenantId,
        tenantCategory: 'Home',
        countryCode: 'US',
        displayName: 'Fake tenant',
        domains: ['fake.onmicrosoft.com'],
        defaultDomain: 'fake.onmicrosoft.com',
        tenantType: 'AAD',
      },
    ];
    return jsonReply(200, { value, count: { type: 'Total', value: value.length } });
  });
}
