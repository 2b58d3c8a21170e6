// Fake Azure DevOps: the job's OIDC token endpoint, connectionData, and the
// location (OPTIONS) answers azure-devops-node-api needs to find routes.
import { randomUUID } from 'node:crypto';
import { verifyAccessToken } from './access-token';
import { AZURE_DEVOPS_RESOURCE_ID } from './guid';
import { devOpsToken, headerValue, jsonReply } from './http-util';
import type { Reply, RequestContext } from './http-util';
import { nowSeconds, signJwt } from './jwt';
import { TOKEN_EXCHANGE_AUDIENCE } from './state';
import type { FakeCloudState, Principal } from './state';

const OIDC_LOCATION_ID = '69a319f4-28c1-4bfd-93e6-ea0ff5c6f1a2';
const SERVICE_OWNER = '00025394-6065-48ca-87d9-7f5672854ef7';

/** Same envelope Azure DevOps uses for its exceptions. */
function devOpsError(status: number, message: string, typeKey: string, typeName: string, headers: Record<string, string> = {}): Reply {
  return jsonReply(status, { $id: '1', innerException: null, message, typeName, typeKey, errorCode: 0, eventId: 3000 }, headers);
}

function unauthorized(user: string): Reply {
  return devOpsError(
    401,
    `TF400813: The user '${user}' is not authorized to access this resource.`,
    'UnauthorizedRequestException',
    'Microsoft.TeamFoundation.Framework.Server.UnauthorizedRequestException, Microsoft.TeamFoundation.Framework.Server',
    { 'WWW-Authenticate': 'Bearer' },
  );
}

/** api-version may come as a query parameter or inside Accept (azure-devops-node-api does the latter). */
function apiVersion(ctx: RequestContext): string | undefined {
  const fromQuery = ctx.query.get('api-version');
  if (fromQuery !== null && fromQuery !== '') return fromQuery;
  return /api-version=([^;,\s]+)/i.exec(headerValue(ctx.headers, 'accept') ?? '')?.[1];
}

/** The oidctoken resource: released in 7.1; this server knows REST versions up to 7.2. */
const OIDC_RELEASED = { major: 7, minor: 1 };
const SERVER_LATEST = { major: 7, minor: 2 };

function compareVersions(a: { major: number; minor: number }, b: { major: number; minor: number }): number {
  return a.major - b.major || a.minor - b.minor;
}

/** Azure DevOps answers an api-version it cannot serve with 400 and one of these exceptions; undefined: served. */
function checkOidcApiVersion(ctx: RequestContext): Reply | undefined {
  const version = apiVersion(ctx);
  if (version === undefined) {
    return devOpsError(
      400,
      `No api-version was supplied for the "${ctx.method}" request. The version must be supplied either as part of the Accept header (e.g. "application/json; api-version=1.0") or as a query parameter (e.g. "?api-version=1.0").`,
      'VssVersionNotSpecifiedException',
      'Microsoft.VisualStudio.Services.WebApi.VssVersionNotSpecifiedException, Microsoft.VisualStudio.Services.WebApi',
    );
  }
  const match = /^(\d+)\.(\d+)(-preview(\.\d+)?)?$/i.exec(version);
  const requested = match && { major: Number(match[1]), minor: Number(match[2]) };
  // The wording of this one is modelled on the others; the typeKey is the one Azure DevOps uses.
  if (!requested)
    return devOpsError(
      400,
      `The api-version '${version}' is not in a valid format.`,
      'VssInvalidApiVersionException',
      'Microsoft.VisualStudio.Services.WebApi.VssInvalidApiVersionException, Microsoft.VisualStudio.Services.WebApi',
    );
  const label = `${String(requested.major)}.${String(requested.minor)}`;
  if (compareVersions(requested, SERVER_LATEST) > 0) {
    return devOpsError(
      400,
      `The requested REST API version of ${label} is out of range for this server. The latest REST API version this server supports is 7.2.`,
      'VssVersionOutOfRangeException',
      'Microsoft.VisualStudio.Services.WebApi.VssVersionOutOfRangeException, Microsoft.VisualStudio.Services.WebApi',
    );
  }
  if (compareVersions(requested, OIDC_RELEASED) > 0 && match[3] === undefined) {
    return devOpsError(
      400,
      `The requested version "${label}" of the resource is under preview. The -preview flag must be supplied in the api-version for such requests. For example: "${label}-preview"`,
      'VssInvalidPreviewVersionException',
      'Microsoft.VisualStudio.Services.WebApi.VssInvalidPreviewVersionException, Microsoft.VisualStudio.Services.WebApi',
    );
  }
  return undefined;
}

export function handleOidcToken(state: FakeCloudState, ctx: RequestContext): Reply {
  if (devOpsToken(ctx.headers) !== state.jobToken) {
    return unauthorized('');
  }
  const versionRefusal = checkOidcApiVersion(ctx);
  if (versionRefusal !== undefined) return versionRefusal;
  const connectionId = ctx.query.get('serviceConnectionId') ?? '';
  const connection = state.findConnection(connectionId);
  if (connection === undefined) {
    return devOpsError(
      400,
      `The service connection '${connectionId}' could not be found, or the pipeline is not authorized to use it.`,
      'InvalidServiceConnectionException',
      'Microsoft.TeamFoundation.DistributedTask.WebApi.InvalidServiceConnectionException, Microsoft.TeamFoundation.DistributedTask.WebApi',
    );
  }
  const issuer = state.issuerFor(connection);
  const now = nowSeconds();
  const token = signJwt(state.signingKeyFor(issuer), {
    iss: issuer,
    sub: state.subjectFor(connection),
    aud: TOKEN_EXCHANGE_AUDIENCE,
    iat: now,
    nbf: now,
    exp: now + state.oidcLifetimeSeconds,
    jti: randomUUID(),
  });
  state.issuedOidcTokens.push(token);
  return jsonReply(200, { oidcToken: token });
}

function identity(app: Principal): Record<string, unknown> {
  const descriptor = `Microsoft.VisualStudio.Services.Claims.AadServicePrincipal;${app.tenantId}\\${app.objectId}`;
  return {
    id: app.objectId,
    descriptor,
    subjectDescriptor: `aadsp.${Buffer.from(`${app.tenantId}\\${app.objectId}`).toString('base64url')}`,
    providerDisplayName: app.displayName ?? app.clientId,
    isActive: true,
    properties: {},
    resourceVersion: 2,
    metaTypeId: 255,
  };
}

export function handleConnectionData(state: FakeCloudState, ctx: RequestContext): Reply {
  const claims = verifyAccessToken(state, devOpsToken(ctx.headers) ?? '');
  if (claims?.aud !== AZURE_DEVOPS_RESOURCE_ID) {
    return unauthorized('');
  }
  // Apps (federated, secret or certificate) and managed identities alike.
  const app = state.findPrincipal(claims.tid, claims.appid);
  if (app === undefined || !app.organizationMember || app.disabled) {
    return unauthorized(claims.oid);
  }
  const user = identity(app);
  return jsonReply(200, {
    authenticatedUser: user,
    authorizedUser: user,
    instanceId: state.organizationId,
    deploymentId: state.deploymentId,
    deploymentType: 'hosted',
    locationServiceData: {
      serviceOwner: SERVICE_OWNER,
      defaultAccessMappingMoniker: 'PublicAccessMapping',
      lastChangeId: 1,
      lastChangeId64: 1,
    },
  });
}

/** OPTIONS /<org>/_apis/<area>: only the OIDC token route is described, enough for TaskApi.createOidcToken. */
export function handleLocations(area: string): Reply {
  if (area.toLowerCase() !== 'distributedtask') {
    return jsonReply(200, { count: 0, value: [] });
  }
  return jsonReply(200, {
    count: 1,
    value: [
      {
        id: OIDC_LOCATION_ID,
        area: 'distributedtask',
        resourceName: 'oidctoken',
        routeTemplate: '{scopeIdentifier}/_apis/distributedtask/hubs/{hubName}/plans/{planId}/jobs/{jobId}/oidctoken',
        resourceVersion: 1,
        minVersion: '7.1',
        maxVersion: '7.2',
        releasedVersion: '7.1',
      },
    ],
  });
}
