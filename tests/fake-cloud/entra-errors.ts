// Entra-shaped OAuth error bodies ("AADSTS<code>: ... Trace ID ... Correlation ID ... Timestamp").
import { randomUUID } from 'node:crypto';
import { headerValue, jsonReply } from './http-util';
import type { Reply, RequestContext } from './http-util';

export interface EntraErrorSpec {
  status: number;
  error: string;
  code: number;
  text: string;
}

/** 'yyyy-mm-dd hh:mm:ssZ', the format Entra prints. */
function entraTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

export function entraError(ctx: RequestContext, spec: EntraErrorSpec): Reply {
  const traceId = randomUUID();
  // msal sends client-request-id; Entra echoes it as the correlation id.
  const correlationId = headerValue(ctx.headers, 'client-request-id') ?? randomUUID();
  const timestamp = entraTimestamp(new Date());
  return jsonReply(
    spec.status,
    {
      error: spec.error,
      error_description: `AADSTS${spec.code}: ${spec.text} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [spec.code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${spec.code}`,
    },
    { 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache', 'x-ms-request-id': traceId },
  );
}

export function invalidClient(status: number, code: number, text: string): EntraErrorSpec {
  return { status, error: 'invalid_client', code, text };
}

/** Entra's catch-all for requests it cannot make sense of. */
export function malformedRequest(): EntraErrorSpec {
  return { status: 400, error: 'invalid_request', code: 9002313, text: 'Invalid request. Request is malformed or invalid.' };
}

export function tenantNotFound(ctx: RequestContext, tenant: string): Reply {
  return entraError(ctx, {
    status: 400,
    error: 'invalid_request',
    code: 90002,
    text: `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
  });
}

const FIC_HINT = 'Please check your federated identity credential Subject, Audience and Issuer against the presented assertion.';

export function noMatchingFederatedRecord(field: 'issuer' | 'subject' | 'audience', value: string): EntraErrorSpec {
  const codes = { issuer: 700211, audience: 700212, subject: 700213 } as const;
  return {
    status: 400,
    error: 'invalid_client',
    code: codes[field],
    text: `No matching federated identity record found for presented assertion ${field} '${value}'. ${FIC_HINT}`,
  };
}
