// A job that ran EntraToken with the token service against the fake cloud and a git server, and the calls its
// later steps make: shared by the token-service e2e suites.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { testTempDir } from '../temp';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestCertificates } from '../fake-cloud';
import { startPublicCloudProxy } from '../fake-cloud/federated-cloud';
import type { ConnectProxy, FakeCloudOptions } from '../fake-cloud/types';
import { startGitServer, type GitServer } from '../tool-servers';
import { failure, type TaskRun } from './agent';
import { Fixture } from './fixture';
import type { Workspace } from './scenario';
import { isolatedEnvironment, laterStepEnvironment } from './tool-env';

export const AZURE_DEVOPS = '499b84ac-1321-427f-aa17-267ca6975798';
export const GRAPH = 'https://graph.microsoft.com';
export const ARM = 'https://management.azure.com';
/** `az login --identity` asks for ARM by its older resource id. */
export const ARM_AS_AZURE_CLI_NAMES_IT = 'https://management.core.windows.net/';

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

export function field(body: string, name: string): unknown {
  const parsed: unknown = JSON.parse(body);
  return typeof parsed === 'object' && parsed !== null ? Reflect.get(parsed, name) : undefined;
}

export function get(url: string, headers: Record<string, string>): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, body });
      });
    })
      .on('error', reject)
      .end();
  });
}

export { portOpen } from '../port-open';

/** What the main step recorded for its post-job step (a secret task variable). */
export interface ServiceRecord {
  readonly message: string;
  readonly url: string;
  readonly pid: number;
  readonly control: string;
}

function serviceRecord(run: TaskRun): ServiceRecord {
  const command = run.commands.find((c) => c.area === 'task.settaskvariable' && c.properties.variable === 'EntraToken.Service');
  assert.equal(command?.properties.issecret, 'true', 'the record holds the control secret');
  const value = (name: string) => field(command.message, name);
  return { message: command.message, url: String(value('url')), pid: Number(value('pid')), control: String(value('control')) };
}

export class ServiceJob {
  private constructor(
    readonly fixture: Fixture,
    readonly git: GitServer,
    readonly run: TaskRun,
    readonly workspace: Workspace,
    /** A later step's environment: what the task exported, and nothing of this machine's tool configuration. */
    readonly env: Record<string, string>,
    readonly record: ServiceRecord,
    readonly lookupId: string,
    readonly proxy: ConnectProxy,
  ) {}

  /**
   * Tokens that live 90 s are always inside the 5-minute refresh window: every plain request mints a fresh one.
   * The connection names no cloud, so the task and later steps talk to login.microsoftonline.com, which a CONNECT
   * proxy routes to the fake, as msal's own authority validation expects of the public cloud.
   */
  static async start(cloudOptions: FakeCloudOptions = {}): Promise<ServiceJob> {
    const fixture = await Fixture.start({ accessTokenLifetimeSeconds: 90, ...cloudOptions });
    const proxy = await startPublicCloudProxy(fixture.cloud);
    const certificates = createTestCertificates(testTempDir('entra-service-ca-'));
    const git = await startGitServer({
      tls: { keyPem: certificates.keyPem, certPem: certificates.certPem },
      authorize: (header) => {
        const [scheme, value = ''] = (header ?? '').split(' ');
        const token = scheme?.toLowerCase() === 'basic' ? Buffer.from(value, 'base64').toString().split(':').slice(1).join(':') : value;
        return fixture.cloud.verifyAccessToken(token)?.aud === AZURE_DEVOPS;
      },
      repositories: { app: { 'README.md': '# app\n' } },
    });
    const lookupId = randomBytes(8).toString('hex');
    const result = await fixture.run({
      inputs: {
        azureDevOpsServiceConnection: fixture.scenario.devops.connection.id,
        tokenService: 'true',
        // Allowed with a trailing slash; callers ask without one.
        tokenServiceScopes: `${GRAPH}\n${ARM}/\n${ARM_AS_AZURE_CLI_NAMES_IT}`,
        gitOrganizations: `${git.url}/contoso`,
      },
      extra: { VSTS_PROCESS_LOOKUP_ID: lookupId, HTTPS_PROXY: proxy.url, AZURE_AUTHORITY_HOST: '' },
      expectToolFiles: true,
    });
    assert.equal(result.run.exitCode, 0, failure(result.run));
    // Both CAs: the git server's, and the fake cloud's (which answers as login.microsoftonline.com).
    const bundle = join(testTempDir('entra-service-bundle-'), 'ca-bundle.pem');
    writeFileSync(bundle, `${readFileSync(certificates.caFile, 'utf8')}\n${readFileSync(fixture.cloud.caFile, 'utf8')}`);
    const env: Record<string, string> = {
      ...isolatedEnvironment(certificates.caFile),
      ...laterStepEnvironment(result.run),
      NODE_EXTRA_CA_CERTS: bundle,
      REQUESTS_CA_BUNDLE: bundle,
      HTTPS_PROXY: proxy.url,
      NO_PROXY: '127.0.0.1,localhost',
    };
    // The one file that holds a token while the job runs: the federated token file, under Agent.TempDirectory.
    assert.deepEqual(fixture.tokenFiles(result.workspace), [env.AZURE_FEDERATED_TOKEN_FILE]);
    assert.ok(env.AZURE_FEDERATED_TOKEN_FILE?.startsWith(result.workspace.tempDirectory));
    return new ServiceJob(fixture, git, result.run, result.workspace, env, serviceRecord(result.run), lookupId, proxy);
  }

  /** GET on the plain endpoint with the secret, as a script in a later step would. */
  tokenFor(scope: string, query = ''): Promise<HttpAnswer> {
    return get(`${this.env.ENTRATOKEN_SERVICE_URL ?? ''}?scope=${encodeURIComponent(scope)}${query}`, {
      'X-EntraToken-Secret': this.env.ENTRATOKEN_SERVICE_SECRET ?? '',
    });
  }

  async close(): Promise<void> {
    await this.proxy.close();
    await this.git.close();
    await this.fixture.close();
  }
}
