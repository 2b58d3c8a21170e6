// What the token-service bench needs besides the service: a real OIDC assertion to start it with (as the task
// has one), timed GETs on its /token route, and the process's resident memory.
import { readFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { parseJson, stringField } from '../../tasks/EntraToken/v1/src/common/json';
import type { FakeCloud } from '../../tests/fake-cloud';

/** POSTs to the fake's OIDC endpoint with the job token, as the task does, and returns the assertion. */
export function requestAssertion(cloud: FakeCloud, connectionId: string): Promise<string> {
  const url = new URL(cloud.oidcRequestUri);
  url.searchParams.set('api-version', '7.1');
  url.searchParams.set('serviceConnectionId', connectionId);
  return new Promise((resolve, reject) => {
    const call = httpsRequest(
      url,
      {
        method: 'POST',
        ca: readFileSync(cloud.caFile),
        headers: { Authorization: `Bearer ${cloud.jobToken}`, 'Content-Type': 'application/json', 'Content-Length': '0' },
        timeout: 10_000,
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        response.on('end', () => {
          const token = stringField(parseJson(body), 'oidcToken');
          if (token === undefined) reject(new Error(`the fake issued no OIDC token (HTTP ${String(response.statusCode)})`));
          else resolve(token);
        });
      },
    );
    call.on('timeout', () => call.destroy(new Error('OIDC request timed out')));
    call.on('error', reject);
    call.end();
  });
}

/** One GET on the service; resolves with its status and the milliseconds it took. */
export function timedGet(url: string, secret: string, agent: Agent | false): Promise<{ status: number; ms: number }> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const call = httpRequest(url, { agent, headers: { 'X-EntraToken-Secret': secret }, timeout: 30_000 }, (response) => {
      response.resume();
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, ms: Number(process.hrtime.bigint() - started) / 1e6 });
      });
    });
    call.on('timeout', () => call.destroy(new Error('the token service did not answer within 30 s')));
    call.on('error', reject);
    call.end();
  });
}

/** VmRSS from /proc, in MiB; undefined where there is no /proc (macOS, Windows). */
export function residentMiB(pid: number): number | undefined {
  try {
    const kib = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${String(pid)}/status`, 'utf8'))?.[1];
    return kib === undefined ? undefined : Number(kib) / 1024;
  } catch {
    return undefined;
  }
}
