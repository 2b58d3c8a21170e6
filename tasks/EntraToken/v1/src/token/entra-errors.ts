// Turns an Entra refusal into a message that says what to change. The AADSTS code is read from the error text,
// because @azure/identity and msal-node wrap the same server answer in several error types.
import type { TokenClaims } from './claims';
import type { ServiceConnection } from '../connection/connection';
import type { Attempt } from '../http/journal';
import { TaskError, messages } from '../common/messages';

export interface FailureContext {
  readonly connection: ServiceConnection;
  readonly claims: TokenClaims | undefined;
  readonly scope: string;
  /** The service connection's settings page, for secrets to renew. */
  readonly settingsUrl: string;
  /** The last HTTP attempt against the authority, if any was made. */
  readonly lastAttempt: Attempt | undefined;
}

type Explainer = (code: string, context: FailureContext) => string;

const unknownIssuer = '(unknown: the OIDC token could not be decoded)';

const noMatch: Explainer = (code, { connection, claims }) =>
  messages.noMatchingFederatedCredential(
    code,
    connection.clientId,
    connection.tenantId,
    claims?.issuer ?? unknownIssuer,
    claims?.subject ?? '(unknown)',
  );
const invalidSecret: Explainer = (code, { connection, settingsUrl }) => messages.invalidSecret(code, connection.id, settingsUrl);
const invalidScope: Explainer = (code, { scope, connection }) => messages.unknownResource(code, scope, connection.tenantId);
const federationBlocked: Explainer = (code, { connection, claims }) =>
  messages.federationBlocked(code, connection.clientId, connection.tenantId, claims?.issuer ?? unknownIssuer);
const issuerUnreachable: Explainer = (code, { claims }) => messages.issuerUnreachable(code, claims?.issuer ?? unknownIssuer);

const EXPLAINERS: Readonly<Record<string, Explainer>> = {
  '700213': noMatch,
  '70021': noMatch,
  '700211': noMatch,
  '700212': noMatch,
  '7002138': noMatch,
  '70025': (code, { connection, claims }) =>
    messages.noFederatedCredentials(
      code,
      connection.clientId,
      connection.tenantId,
      claims?.issuer ?? unknownIssuer,
      claims?.subject ?? '(unknown)',
    ),
  '700024': (code) => messages.assertionExpired(code),
  '700016': (code, { connection }) => messages.appNotFound(code, connection.clientId, connection.tenantId),
  '90002': (code, { connection }) => messages.tenantNotFound(code, connection.tenantId, connection.authorityHost),
  '7000112': (code, { connection }) => messages.appDisabled(code, connection.clientId, connection.tenantId),
  '7000215': invalidSecret,
  '7000222': invalidSecret,
  '500011': invalidScope,
  '70011': invalidScope,
  '900382': (code, { connection }) => messages.crossCloud(code, connection.authorityHost),
  '70052': (code, { connection }) => messages.multiTenantEntraIssuer(code, connection.clientId),
  '700223': federationBlocked,
  '700238': federationBlocked,
  '50166': issuerUnreachable,
  '90061': issuerUnreachable,
  '53003': (code, { connection }) => messages.conditionalAccess(code, connection.clientId, connection.tenantId),
};

/** Entra answers these when it could not fetch the issuer's OIDC metadata: worth retrying before giving up. */
export const ISSUER_UNREACHABLE_CODES: ReadonlySet<string> = new Set(['50166', '90061']);

const SUPPORT_IDS = [
  ['Trace ID', /Trace ID:\s*([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i],
  ['Correlation ID', /Correlation ID:\s*([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i],
  ['Timestamp', /Timestamp:\s*(\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)/],
] as const;

/** The ids Microsoft support asks for, read strictly (GUIDs and a date) so nothing else of the text is echoed. */
export function entraSupportIds(text: string): string | undefined {
  const found = SUPPORT_IDS.flatMap(([label, pattern]) => {
    const value = pattern.exec(text)?.[1];
    return value === undefined ? [] : [`${label} ${value}`];
  });
  return found.length === 0 ? undefined : found.join(', ');
}

function withSupportIds(message: string, text: string, cause: { readonly cause: unknown }): TaskError {
  const ids = entraSupportIds(text);
  return new TaskError(ids === undefined ? message : messages.entraSupportIds(message, ids), cause);
}

// msal-node reports an unreachable or untrusted authority as endpoints_resolution_error; Node reports the rest.
const NETWORK_FAILURE =
  /endpoints_resolution_error|network_error|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EPROTO|socket hang up|certificate|CERT_|aborted|timeout/i;

export function findAadstsCode(text: string): string | undefined {
  return /AADSTS(\d+)/.exec(text)?.[1];
}

/** Entra's description after the code, without the trace and correlation ids that follow it. */
function entraDetail(text: string, code: string): string {
  const start = text.indexOf(`AADSTS${code}`);
  const fromCode = start >= 0 ? text.slice(start + `AADSTS${code}`.length).replace(/^:\s*/, '') : text;
  return fromCode.split(/\s+Trace ID:|\r?\n/)[0]?.trim() ?? fromCode;
}

function describeAttempt(attempt: Attempt): string {
  const outcome = attempt.status === undefined ? (attempt.error ?? 'no answer') : `HTTP ${attempt.status}`;
  return `last attempt: ${outcome}, after ${attempt.attempt} attempt${attempt.attempt === 1 ? '' : 's'}`;
}

export function explainExchangeFailure(error: unknown, context: FailureContext): Error {
  if (error instanceof TaskError) return error;
  const cause = { cause: error };
  const text = error instanceof Error ? error.message : String(error);
  if (
    context.connection.proof.kind === 'managedIdentity' &&
    /ManagedIdentityCredential|managed identity/i.test(text) &&
    findAadstsCode(text) === undefined
  ) {
    return new TaskError(messages.managedIdentityUnavailable(context.connection.id, (text.split(/\r?\n/)[0] ?? text).trim()), cause);
  }
  const code = findAadstsCode(text) ?? context.lastAttempt?.aadsts;
  const host = new URL(context.connection.authorityHost).host;
  if (code !== undefined) {
    const explain = EXPLAINERS[code];
    const label = `AADSTS${code}`;
    if (explain) return withSupportIds(explain(label, context), text, cause);
    const { clientId, tenantId } = context.connection;
    return withSupportIds(messages.entraRefused(label, clientId, tenantId, entraDetail(text, code)), text, cause);
  }
  const firstLine = (text.split(/\r?\n/)[0] ?? text).trim().replace(/\.+$/, '');
  const last = context.lastAttempt;
  // What the journal saw on the wire says more than the library's wrapper text ("network_error: See …").
  const detail = last ? describeAttempt(last) : firstLine;
  const unreachable = last === undefined || last.status === undefined;
  if (unreachable && NETWORK_FAILURE.test(text)) {
    return new TaskError(messages.networkFailure('get a token from Microsoft Entra ID', host, detail), cause);
  }
  return new TaskError(messages.entraFailed(host, detail), cause);
}
