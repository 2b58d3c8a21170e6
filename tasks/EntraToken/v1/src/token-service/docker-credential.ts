// `docker-credential-entratoken` mode: docker, skopeo, podman and buildah run the helper with "get" and a registry on
// stdin, and expect {ServerURL, Username, Secret} on stdout. The answer is an ACR refresh token from the token
// service, with Docker's "<token>" user name, which makes clients use it as an identity (refresh) token.
import { stringField } from '../common/json';
import { SERVICE_SECRET_VARIABLE, SERVICE_URL_VARIABLE } from './export';
import { REGISTRY_PATH } from './registry-route';
import { askService, type ServiceAnswer } from './service-call';

/** The exact text docker's helper client reads as "no credentials": the client then goes on without them. */
export const CREDENTIALS_NOT_FOUND = 'credentials not found in native keychain';
export const IDENTITY_TOKEN_USER = '<token>';

export interface HelperOutput {
  readonly code: number;
  readonly stdout: string;
}

/** `https://contoso.azurecr.io/v2/` and `contoso.azurecr.io` name the same login server. */
export function registryHost(serverUrl: string): string {
  return serverUrl
    .trim()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .replace(/\/.*$/, '')
    .toLowerCase();
}

export type AskRegistry = (host: string) => Promise<ServiceAnswer | undefined>;

export async function dockerCredentialAnswer(
  action: string | undefined,
  input: string,
  ask: AskRegistry | undefined,
): Promise<HelperOutput> {
  if (action === 'list') return { code: 0, stdout: '{}\n' };
  if (action !== 'get')
    return {
      code: 1,
      stdout: `docker-credential-entratoken only gets tokens from EntraToken's token service; it cannot '${action ?? ''}'. To use docker login for a registry, remove its credHelpers entry from the config in DOCKER_CONFIG.\n`,
    };
  if (ask === undefined)
    return {
      code: 1,
      stdout: `docker-credential-entratoken needs ${SERVICE_URL_VARIABLE} and ${SERVICE_SECRET_VARIABLE}: run it in a later step of the job in which EntraToken@1 ran with tokenService: true.\n`,
    };
  const host = registryHost(input);
  const answered = await ask(host);
  const refreshToken = answered?.status === 200 ? stringField(answered.body, 'refresh_token') : undefined;
  if (refreshToken !== undefined)
    return { code: 0, stdout: `${JSON.stringify({ ServerURL: input.trim(), Username: IDENTITY_TOKEN_USER, Secret: refreshToken })}\n` };
  if (answered?.status === 403) return { code: 1, stdout: `${CREDENTIALS_NOT_FOUND}\n` };
  const reason =
    answered === undefined ? 'it could not be reached' : (stringField(answered.body, 'message') ?? `HTTP ${String(answered.status)}`);
  return { code: 1, stdout: `EntraToken's token service gave no token for registry '${host}': ${reason}\n` };
}

function readStdin(): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    process.stdin.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    process.stdin.on('end', () => {
      resolve(text);
    });
    process.stdin.on('error', () => {
      resolve(text);
    });
  });
}

export function runDockerCredentialHelper(): void {
  const url = process.env[SERVICE_URL_VARIABLE];
  const secret = process.env[SERVICE_SECRET_VARIABLE];
  const ask: AskRegistry | undefined =
    url && secret
      ? (host) => {
          const registryUrl = new URL(REGISTRY_PATH, url);
          registryUrl.searchParams.set('host', host);
          return askService(registryUrl.toString(), secret);
        }
      : undefined;
  void readStdin()
    .then((input) => dockerCredentialAnswer(process.argv[3], input, ask))
    .then((output) => {
      process.stdout.write(output.stdout);
      process.exitCode = output.code;
    });
}
