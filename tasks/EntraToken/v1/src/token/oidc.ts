// Asks Azure DevOps for the job's OIDC token for one service connection: a single POST, authenticated by the
// job access token, so users do not have to enable "Allow scripts to access the OAuth token".
import type { HttpSender } from '../http/sender';
import type { SecretRegistry } from '../common/secrets';
import { TaskError, messages } from '../common/messages';
import { parseJson, stringField } from '../common/json';
import { errorDetail } from '../common/error-detail';

export interface OidcRequest {
  readonly requestUri: string;
  readonly connectionId: string;
  readonly jobToken: string;
}

export const OIDC_API_VERSION = '7.1';

function oidcUrl(request: OidcRequest): string {
  const url = new URL(request.requestUri);
  url.searchParams.set('api-version', OIDC_API_VERSION);
  url.searchParams.set('serviceConnectionId', request.connectionId);
  return url.toString();
}

export async function requestOidcToken(request: OidcRequest, send: HttpSender, secrets: SecretRegistry): Promise<string> {
  const url = oidcUrl(request);
  let response;
  try {
    response = await send({
      method: 'POST',
      url,
      headers: {
        Authorization: `Bearer ${request.jobToken}`,
        'Content-Type': 'application/json',
        // Without it Azure DevOps answers an expired job token with a sign-in redirect instead of a 401.
        'X-TFS-FedAuthRedirect': 'Suppress',
      },
    });
  } catch (error) {
    if (error instanceof TaskError) throw error;
    const detail = errorDetail(error);
    throw new TaskError(messages.networkFailure('request an OIDC token', new URL(url).host, detail), { cause: error });
  }
  const body = parseJson(response.bodyText);
  const token = stringField(body, 'oidcToken');
  if (token !== undefined) secrets.register(token);
  if (response.status >= 200 && response.status < 300 && token !== undefined) return token;
  if (response.status === 401) throw new TaskError(messages.oidcUnauthorized(response.status));
  if (response.status >= 500) throw new TaskError(messages.oidcUnavailable(response.status));
  // Azure DevOps explains refusals in 'message' (errors) or 'value' (e.g. a stage that does not reference the connection).
  const detail = stringField(body, 'message') ?? stringField(body, 'value');
  if (detail !== undefined && /no explicit reference to service connection/i.test(detail)) {
    throw new TaskError(messages.oidcUnreferenced(request.connectionId, detail));
  }
  // A connection Azure DevOps disabled (for example after long disuse) can still be named, but issues nothing.
  if (detail !== undefined && /\bdisabled\b/i.test(detail)) throw new TaskError(messages.connectionDisabled(request.connectionId, detail));
  if (response.status >= 400 || detail !== undefined) {
    throw new TaskError(messages.oidcRefused(request.connectionId, response.status, detail ?? 'no details'));
  }
  throw new TaskError(messages.oidcMalformed(response.status));
}
