// GET /msi/token: the App Service managed identity protocol (api-version
// 2019-08-01), which msal-node uses when IDENTITY_ENDPOINT + IDENTITY_HEADER are set.
import { randomUUID } from 'node:crypto';
import { mintAccessToken } from './access-token';
import { headerValue, jsonReply } from './http-util';
import type { Reply, RequestContext } from './http-util';
import { nowSeconds } from './jwt';
import type { FakeCloudState } from './state';

export const MANAGED_IDENTITY_PATH = '/msi/token';
const API_VERSION = '2019-08-01';
const DEFAULT_SUFFIX = '/.default';

/**
 * App Service's error envelope. msal-node turns `message` into the error
 * description; without a `message` (or `error`) it would treat the reply as a success.
 */
function appServiceError(status: number, message: string): Reply {
  return jsonReply(status, { statusCode: status, message, correlationId: randomUUID() });
}

export function handleManagedIdentity(state: FakeCloudState, ctx: RequestContext): Reply {
  // App Service answers 401 when X-IDENTITY-HEADER is missing or wrong.
  if (headerValue(ctx.headers, 'x-identity-header') !== state.identityHeader) {
    return appServiceError(401, 'The X-IDENTITY-HEADER header is missing or does not match IDENTITY_HEADER.');
  }
  const apiVersion = ctx.query.get('api-version');
  if (apiVersion !== API_VERSION) {
    return appServiceError(400, `The api-version '${apiVersion ?? ''}' could not be found. Supported: ${API_VERSION}.`);
  }
  const requested = ctx.query.get('resource');
  if (requested === null || requested === '') {
    return appServiceError(400, "The 'resource' query parameter is required.");
  }
  if (ctx.query.has('mi_res_id')) {
    // The fake has no ARM resource ids for its identities.
    return appServiceError(400, 'No User Assigned or Delegated Managed Identity found for specified ClientId/ResourceId/PrincipalId.');
  }
  const clientId = ctx.query.get('client_id') ?? undefined;
  const objectId = ctx.query.get('principal_id') ?? ctx.query.get('object_id') ?? undefined;
  const identity = state.findManagedIdentity({ clientId, objectId });
  if (identity === undefined) {
    return appServiceError(
      400,
      clientId === undefined && objectId === undefined
        ? 'No system-assigned managed identity is enabled for this app.'
        : 'No User Assigned or Delegated Managed Identity found for specified ClientId/ResourceId/PrincipalId.',
    );
  }
  // Callers may pass a scope; the token audience is the resource itself.
  const audience = requested.endsWith(DEFAULT_SUFFIX) ? requested.slice(0, -DEFAULT_SUFFIX.length) : requested;
  const token = mintAccessToken(state, identity, audience);
  return jsonReply(200, {
    access_token: token,
    expires_on: String(nowSeconds() + state.accessTokenLifetimeSeconds),
    resource: requested,
    token_type: 'Bearer',
    client_id: identity.clientId,
  });
}
