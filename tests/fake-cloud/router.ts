// Maps method + path to a handler. Azure DevOps, Entra (with the managed identity endpoint) and ARM listen on
// different loopback ports, as they are different hosts in Azure: each port serves only its own routes, so a
// request sent to the wrong one gets a 404 and errors name the right host. The Host header only shapes
// response URLs.
import { handleSubscriptions, handleTenants } from './arm';
import { handleConnectionData, handleLocations, handleOidcToken } from './devops';
import { handleInstanceDiscovery, handleJwks, handleOpenIdConfiguration } from './entra';
import { jsonReply } from './http-util';
import type { Reply, RequestContext } from './http-util';
import { handleManagedIdentity, MANAGED_IDENTITY_PATH } from './managed-identity';
import type { FakeCloudState } from './state';
import { handleToken } from './token-exchange';
import type { Route } from './types';

export interface RouteMatch {
  /** Set for routes that accept injected faults. */
  route?: Route;
  handle(ctx: RequestContext): Reply;
}

const OPENID_PATH = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/;
const TOKEN_PATH = /^\/([^/]+)\/oauth2\/v2\.0\/token$/;
const JWKS_PATH = /^\/([^/]+)\/discovery\/v2\.0\/keys$/;

function notFound(ctx: RequestContext): Reply {
  return jsonReply(404, { error: 'not_found', message: `The fake cloud has no route for ${ctx.method} ${ctx.path}` });
}

function methodNotAllowed(allowed: string): RouteMatch {
  return { handle: () => jsonReply(405, { error: 'method_not_allowed' }, { Allow: allowed }) };
}

function only(method: string, ctx: RequestContext, match: RouteMatch): RouteMatch {
  return ctx.method === method ? match : methodNotAllowed(method);
}

function matchDevOps(state: FakeCloudState, ctx: RequestContext): RouteMatch | undefined {
  const path = ctx.path.toLowerCase();
  // Azure DevOps routes are case-insensitive (organization names, GUIDs).
  if (path === state.oidcPath.toLowerCase()) {
    return only('POST', ctx, { route: 'oidc', handle: (c) => handleOidcToken(state, c) });
  }
  const apis = `/${state.organizationName.toLowerCase()}/_apis/`;
  if (path === `${apis}connectiondata`) {
    return only('GET', ctx, { route: 'connectionData', handle: (c) => handleConnectionData(state, c) });
  }
  if (ctx.method === 'OPTIONS' && path.startsWith(apis)) {
    const area = ctx.path.slice(apis.length).split('/')[0] ?? '';
    return { handle: () => handleLocations(area) };
  }
  return undefined;
}

function matchEntra(state: FakeCloudState, ctx: RequestContext): RouteMatch | undefined {
  if (ctx.path === '/common/discovery/instance') {
    return only('GET', ctx, { route: 'instanceDiscovery', handle: (c) => handleInstanceDiscovery(c) });
  }
  const openId = OPENID_PATH.exec(ctx.path)?.[1];
  if (openId !== undefined) {
    return only('GET', ctx, { route: 'openid', handle: (c) => handleOpenIdConfiguration(state, c, openId) });
  }
  const token = TOKEN_PATH.exec(ctx.path)?.[1];
  if (token !== undefined) {
    return only('POST', ctx, { route: 'token', handle: (c) => handleToken(state, c, token) });
  }
  if (JWKS_PATH.test(ctx.path)) {
    return only('GET', ctx, { handle: () => handleJwks(state) });
  }
  return undefined;
}

function matchManagedIdentity(state: FakeCloudState, ctx: RequestContext): RouteMatch | undefined {
  if (ctx.path !== MANAGED_IDENTITY_PATH) return undefined;
  return only('GET', ctx, { route: 'managedIdentity', handle: (c) => handleManagedIdentity(state, c) });
}

function matchArm(state: FakeCloudState, ctx: RequestContext): RouteMatch | undefined {
  // ARM paths are case-insensitive.
  const path = ctx.path.toLowerCase();
  if (path === '/subscriptions') return only('GET', ctx, { handle: (c) => handleSubscriptions(state, c) });
  if (path === '/tenants') return only('GET', ctx, { handle: (c) => handleTenants(state, c) });
  return undefined;
}

/** Which of the fake's hosts received the request. */
export type Side = 'devops' | 'entra' | 'arm';

export function matchRoute(state: FakeCloudState, ctx: RequestContext, side: Side): RouteMatch {
  const matchers: Record<Side, () => RouteMatch | undefined> = {
    devops: () => matchDevOps(state, ctx),
    entra: () => matchEntra(state, ctx) ?? matchManagedIdentity(state, ctx),
    arm: () => matchArm(state, ctx),
  };
  return matchers[side]() ?? { handle: notFound };
}
