// The service's answers and its one secret check, shared by every route.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Hashing first makes the comparison constant-time whatever the length of what the caller sent. */
export function secretMatches(expected: string, presented: string | string[] | undefined): boolean {
  return typeof presented === 'string' && timingSafeEqual(digest(expected), digest(presented));
}

export function reply(response: ServerResponse, status: number, body: Record<string, unknown>): void {
  response.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  response.end(JSON.stringify(body));
}

/** App Service error shape: msal-node reads a reply without `message` as a success. */
export function refuse(response: ServerResponse, status: number, message: string): void {
  reply(response, status, { statusCode: status, message });
}
