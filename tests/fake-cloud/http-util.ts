// Small request/response plumbing shared by the route handlers.
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Server } from 'node:net';

export interface RequestContext {
  method: string;
  /** Host header (with port when not 443), used to build URLs in responses. */
  host: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

const MAX_BODY_BYTES = 1024 * 1024;

export function jsonReply(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(value),
  };
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('Request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** The bearer credential from an Authorization header, or undefined. The scheme is case-insensitive (RFC 9110). */
export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const match = /^bearer +(\S+)$/i.exec(headerValue(headers, 'authorization') ?? '');
  return match?.[1];
}

/**
 * The token Azure DevOps accepts from an Authorization header: a bearer token, or Basic base64(<any>:<token>),
 * the form PATs use and the one tfx, `az devops` (AZURE_DEVOPS_EXT_PAT) and node-api's PAT handler send.
 */
export function devOpsToken(headers: IncomingHttpHeaders): string | undefined {
  const bearer = bearerToken(headers);
  if (bearer !== undefined) return bearer;
  const basic = /^basic +([A-Za-z0-9+/]+={0,2})$/i.exec(headerValue(headers, 'authorization') ?? '')?.[1];
  if (basic === undefined) return undefined;
  const decoded = Buffer.from(basic, 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  const token = separator < 0 ? '' : decoded.slice(separator + 1);
  return token === '' ? undefined : token;
}

/** Listens on a random loopback port and returns it. */
export async function listenOnLoopback(server: Server, what: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error(`${what} did not get a TCP address`);
  return address.port;
}
