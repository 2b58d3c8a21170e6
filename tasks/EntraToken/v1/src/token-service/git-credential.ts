// `git credential` helper mode: git runs the bundle with "get" and the request on stdin; the helper asks the
// token service (URL and secret from the step's environment) and answers with a fresh token, so long jobs
// never push or fetch with an expired one.
import { TOKEN_USER } from '../tools/tool-configuration';
import { SERVICE_SECRET_VARIABLE, SERVICE_URL_VARIABLE } from './export';
import { stringField } from '../common/json';
import { askService } from './service-call';

async function answer(): Promise<void> {
  process.stdin.resume();
  process.stdin.on('data', () => undefined); // git writes the request; the token does not depend on it
  if (process.argv[3] !== 'get') return;
  const url = process.env[SERVICE_URL_VARIABLE];
  const secret = process.env[SERVICE_SECRET_VARIABLE];
  if (!url || !secret) return;
  const answered = await askService(url, secret);
  const token = answered?.status === 200 ? stringField(answered.body, 'access_token') : undefined;
  // Saying nothing lets git fall back to its other helpers or fail with its own message.
  if (token !== undefined) process.stdout.write(`username=${TOKEN_USER}\npassword=${token}\n`);
}

export function runGitCredentialHelper(): void {
  void answer().finally(() => process.exit(0));
}
