// Turns an Entra refusal into a message that says what to change. The AADSTS code is read from the error text,
// because @azure/identity and msal-node wrap the same server answer in several error types.
import type { FederatedConnection } from './connection';
import type { TokenClaims } from './claims';
import { TaskError, messages } from './messages';

/** Codes for "no federated credential matches this assertion" (issuer, subject or audience). */
const NO_MATCHING_CREDENTIAL = new Set(['700213', '70021', '700211', '700212', '7002138', '70025']);

// msal-node reports an unreachable or untrusted authority as endpoints_resolution_error; Node reports the rest.
const NETWORK_FAILURE = /endpoints_resolution_error|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EPROTO|socket hang up|certificate|CERT_|aborted/i;

export function findAadstsCode(text: string): string | undefined {
  return /AADSTS(\d+)/.exec(text)?.[1];
}

/** The first sentence of Entra's description, without the trace/correlation ids that follow it. */
function entraDetail(text: string, code: string): string {
  const start = text.indexOf(`AADSTS${code}`);
  const fromCode = start >= 0 ? text.slice(start + `AADSTS${code}`.length).replace(/^:\s*/, '') : text;
  return fromCode.split(/\s+Trace ID:|\r?\n/)[0]?.trim() ?? fromCode;
}

export function explainExchangeFailure(
  error: unknown,
  connection: FederatedConnection,
  claims: TokenClaims | undefined,
): Error {
  const text = error instanceof Error ? error.message : String(error);
  const code = findAadstsCode(text);
  const host = new URL(connection.authorityHost).host;
  const firstLine = (text.split(/\r?\n/)[0] ?? text).trim().replace(/\.+$/, '');
  if (code === undefined && NETWORK_FAILURE.test(text)) {
    return new TaskError(messages.networkFailure('get a token from Microsoft Entra ID', host, firstLine));
  }
  if (code === undefined) return new TaskError(messages.entraFailed(host, firstLine));
  const label = `AADSTS${code}`;
  if (NO_MATCHING_CREDENTIAL.has(code)) {
    return new TaskError(
      messages.noMatchingFederatedCredential(
        label,
        connection.clientId,
        connection.tenantId,
        claims?.issuer ?? '(unknown: the OIDC token could not be decoded)',
        claims?.subject ?? '(unknown)',
      ),
    );
  }
  return new TaskError(messages.entraRefused(label, connection.clientId, connection.tenantId, entraDetail(text, code)));
}
