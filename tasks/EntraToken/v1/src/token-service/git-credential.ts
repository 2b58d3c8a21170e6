// `git credential` helper mode: git runs the bundle with "get" and the request on stdin; the helper asks the
// token service (URL and secret from the step's environment) and answers with a fresh token, so long jobs
// never push or fetch with an expired one.
import { request } from 'node:http';
import { TOKEN_USER } from '../tools/tool-configuration';
import { SERVICE_SECRET_VARIABLE, SERVICE_URL_VARIABLE } from './export';
import { parseJson, stringField } from '../common/json';

function fetchToken(url: string, secret: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const call = request(url, { headers: { 'X-EntraToken-Secret': secret }, timeout: 30_000 }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        const token = stringField(parseJson(body), 'access_token');
        resolve(response.statusCode === 200 ? token : undefined);
      });
    });
    call.on('error', () => {
      resolve(undefined);
    });
    call.on('timeout', () => call.destroy());
    call.end();
  });
}

async function answer(): Promise<void> {
  process.stdin.resume();
  process.stdin.on('data', () => undefined); // git writes the request; the token does not depend on it
  if (process.argv[3] !== 'get') return;
  const url = process.env[SERVICE_URL_VARIABLE];
  const secret = process.env[SERVICE_SECRET_VARIABLE];
  if (!url || !secret) return;
  const token = await fetchToken(url, secret);
  // Saying nothing lets git fall back to its other helpers or fail with its own message.
  if (token !== undefined) process.stdout.write(`username=${TOKEN_USER}\npassword=${token}\n`);
}

export function runGitCredentialHelper(): void {
  void answer().finally(() => process.exit(0));
}
