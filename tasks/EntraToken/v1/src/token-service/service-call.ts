// One GET to the token service from a helper process (git's or docker's), with the secret a later step has.
import { request } from 'node:http';
import { parseJson } from '../common/json';

export interface ServiceAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** undefined when the service cannot be reached within 30 s. */
export function askService(url: string, secret: string): Promise<ServiceAnswer | undefined> {
  return new Promise((resolve) => {
    const call = request(url, { headers: { 'X-EntraToken-Secret': secret }, timeout: 30_000 }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, body: parseJson(body) });
      });
    });
    call.on('error', () => {
      resolve(undefined);
    });
    call.on('timeout', () => call.destroy());
    call.end();
  });
}
