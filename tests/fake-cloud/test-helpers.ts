// Plain node:https clients for the fake cloud's own tests (no mocks, real TLS).
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';
import type { Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { parseJsonObject } from './jwt';
import type { JsonObject } from './jwt';
import type { FakeCloud } from './types';

export interface HttpResult {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface SendOptions {
  ca: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** An already-open tunnel to speak TLS over (servername = the URL's host). */
  tunnel?: Socket;
}

export function send(url: string, options: SendOptions): Promise<HttpResult> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const tunnel = options.tunnel;
    const req = httpsRequest(
      target,
      {
        method: options.method ?? 'GET',
        headers: options.headers,
        ca: options.ca,
        agent: tunnel === undefined ? false : undefined,
        // Without an agent Node assumes port 80 for the Host header; say 443.
        defaultPort: 443,
        createConnection:
          tunnel === undefined
            ? undefined
            : () => tlsConnect({ socket: tunnel, ca: options.ca, ...(isIP(target.hostname) === 0 ? { servername: target.hostname } : {}) }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

export function jsonBody(result: HttpResult): JsonObject {
  const value = parseJsonObject(result.body);
  if (value === undefined) {
    throw new Error(`Expected a JSON object, got ${result.status}: ${result.body}`);
  }
  return value;
}

export function stringField(value: JsonObject, name: string): string {
  const field = value[name];
  if (typeof field !== 'string') {
    throw new Error(`Expected string field '${name}' in ${JSON.stringify(value)}`);
  }
  return field;
}

export interface TunnelResult {
  status: number;
  socket: Socket;
}

/** Sends CONNECT to the proxy; on 200 the socket is the raw tunnel. */
export function openTunnel(proxyUrl: string, authority: string, headers: Record<string, string> = {}): Promise<TunnelResult> {
  return new Promise((resolve, reject) => {
    const proxy = new URL(proxyUrl);
    const req = httpRequest({ host: proxy.hostname, port: proxy.port, method: 'CONNECT', path: authority, headers, agent: false });
    req.on('connect', (res, socket) => {
      resolve({ status: res.statusCode ?? 0, socket });
    });
    req.on('error', reject);
    req.end();
  });
}

export async function requestOidcToken(cloud: FakeCloud, ca: string, connectionId: string): Promise<HttpResult> {
  const url = `${cloud.oidcRequestUri}?api-version=7.1&serviceConnectionId=${encodeURIComponent(connectionId)}`;
  return send(url, { ca, method: 'POST', headers: { Authorization: `Bearer ${cloud.jobToken}` } });
}

export async function mintOidcToken(cloud: FakeCloud, ca: string, connectionId: string): Promise<string> {
  const result = await requestOidcToken(cloud, ca, connectionId);
  if (result.status !== 200) {
    throw new Error(`OIDC request failed ${result.status}: ${result.body}`);
  }
  return stringField(jsonBody(result), 'oidcToken');
}

export interface ExchangeRequest {
  tenantId: string;
  clientId: string;
  assertion: string;
  scope?: string;
  baseUrl?: string;
  tunnel?: Socket;
}

export function exchange(cloud: FakeCloud, ca: string, r: ExchangeRequest): Promise<HttpResult> {
  const body = new URLSearchParams({
    client_id: r.clientId,
    scope: r.scope ?? '499b84ac-1321-427f-aa17-267ca6975798/.default',
    grant_type: 'client_credentials',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: r.assertion,
  }).toString();
  const options: SendOptions = {
    ca,
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body,
  };
  if (r.tunnel !== undefined) options.tunnel = r.tunnel;
  return send(`${r.baseUrl ?? cloud.url}/${r.tenantId}/oauth2/v2.0/token`, options);
}

export function aadstsCode(result: HttpResult): number | undefined {
  const codes = jsonBody(result)['error_codes'];
  const first: unknown = Array.isArray(codes) ? codes[0] : undefined;
  return typeof first === 'number' ? first : undefined;
}

/** POSTs any client_credentials form (default scope: Azure DevOps) to the tenant's token endpoint. */
export function requestToken(
  cloud: FakeCloud,
  ca: string,
  tenantId: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<HttpResult> {
  const body = new URLSearchParams({
    grant_type: 'client_credentials',
    scope: '499b84ac-1321-427f-aa17-267ca6975798/.default',
    ...fields,
  }).toString();
  return send(`${cloud.url}/${tenantId}/oauth2/v2.0/token`, {
    ca,
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body,
  });
}

export function errorDescription(result: HttpResult): string {
  return stringField(jsonBody(result), 'error_description');
}
