// The identity self-check: calls the organization's connectionData with the new token and reports who it is.
// azure-devops-node-api is loaded only here, and only its REST client (the same GET that WebApi.connect()
// makes), so neither the token path nor the bundle pays for its forty API clients. Not its ClientApiBase:
// that builds a VsoClient, whose url.parse() makes Node 24 print a deprecation warning into the log.
import { USER_AGENT, type HttpContext } from '../http/sender';
import { TaskError, messages } from '../common/messages';
import { field, numberField, stringField } from '../common/json';
import { errorDetail } from '../common/error-detail';

export interface AccessCheck {
  readonly organizationUrl: string;
  readonly token: string;
  readonly clientId: string;
}

export interface VerifiedIdentity {
  readonly id: string;
  readonly displayName: string;
}

export type AccessVerifier = (check: AccessCheck) => Promise<VerifiedIdentity>;

function parseIdentity(body: unknown): VerifiedIdentity | undefined {
  const user = field(body, 'authenticatedUser');
  const id = stringField(user, 'id');
  if (id === undefined) return undefined;
  return { id, displayName: stringField(user, 'providerDisplayName') ?? stringField(user, 'customDisplayName') ?? id };
}

function statusOf(error: unknown): number | undefined {
  return numberField(error, 'statusCode');
}

/** `<organization>/_apis/connectionData`, the URL VsoClient.resolveUrl() gives, built with WHATWG URL. */
export function connectionDataUrl(organizationUrl: string): string {
  const url = new URL(organizationUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/_apis/connectionData`;
  url.search = '';
  url.hash = '';
  return url.href;
}

export function createAccessVerifier(context: HttpContext): AccessVerifier {
  return async (check) => {
    const { AdoRestClient } = await import('azure-devops-node-api/AdoHttpClientBases.js');
    const { BearerCredentialHandler } = await import('azure-devops-node-api/handlers/bearertoken.js');
    const proxy = context.agentProxy;
    const handlers = [new BearerCredentialHandler(check.token, false)];
    const rest = new AdoRestClient(USER_AGENT, undefined, handlers, {
      socketTimeout: context.limits.requestTimeoutMs,
      allowRetries: true,
      // A redirect would carry the token to wherever the server points; the token goes only where the user pointed it.
      allowRedirects: false,
      maxRetries: context.limits.maxRetries,
      proxy: proxy && {
        proxyUrl: proxy.url,
        proxyUsername: proxy.username,
        proxyPassword: proxy.password,
        proxyBypassHosts: [...proxy.bypass],
      },
    });
    const organization = check.organizationUrl;
    let identity: VerifiedIdentity | undefined;
    let status = 0;
    try {
      const response = await rest.get<unknown>(connectionDataUrl(organization));
      status = response.statusCode;
      identity = parseIdentity(response.result);
    } catch (error) {
      const status = statusOf(error);
      const detail = error instanceof Error ? error.message : String(error);
      // TF401444: the organization has no such user; VS800075: a user, but not of the project the URL names.
      if (/\bTF401444\b/.test(detail)) throw new TaskError(messages.notAnOrganizationUser(check.clientId, organization), { cause: error });
      if (/\bVS800075\b/.test(detail)) throw new TaskError(messages.notInProject(check.clientId, organization), { cause: error });
      if (status === 401 || status === 403)
        throw new TaskError(messages.notAMember(check.clientId, organization, `HTTP ${status}`), { cause: error });
      throw new TaskError(messages.networkFailure('verify access', new URL(organization).host, errorDetail(error)), { cause: error });
    }
    // Azure DevOps answers a token it does not recognise with 203 and a sign-in page.
    if (!identity)
      throw new TaskError(
        messages.notAMember(
          check.clientId,
          organization,
          status === 203 ? 'HTTP 203, a sign-in page' : `HTTP ${status} without an identity`,
        ),
      );
    return identity;
  };
}
