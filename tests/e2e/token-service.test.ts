import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { testTempDir } from '../temp';
import { createTestCertificates } from '../fake-cloud';
import { startGitServer, type GitServer } from '../tool-servers';
import { BUNDLE, TASK_NODE, failure, parseCommand, runTask, type TaskRun } from './agent';
import { assertNoLeaks } from './leaks';
import { Fixture } from './fixture';
import { isolatedEnvironment, laterStepEnvironment, runTool } from './tool-env';

const AZURE_DEVOPS = '499b84ac-1321-427f-aa17-267ca6975798';
const PROBE = join(__dirname, 'mi-probe.js');

function get(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => { resolve({ status: response.statusCode ?? 0, body }); });
    }).on('error', reject).end();
  });
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => { resolve(false); });
  });
}

describe('EntraToken token service, end to end', function () {
  this.timeout(120_000);
  let fixture: Fixture;
  let git: GitServer;
  let caFile: string;
  let taskRun: TaskRun;
  let env: Record<string, string>;
  let workspace: { tempDirectory: string; workingDirectory: string };

  before(async () => {
    // Tokens that live 90 s are always inside the 5-minute refresh window: every request mints a fresh one.
    fixture = await Fixture.start({ accessTokenLifetimeSeconds: 90 });
    const certificates = createTestCertificates(testTempDir('entra-service-ca-'));
    caFile = certificates.caFile;
    git = await startGitServer({
      tls: { keyPem: certificates.keyPem, certPem: certificates.certPem },
      authorize: (header) => {
        const [scheme, value = ''] = (header ?? '').split(' ');
        const token = scheme?.toLowerCase() === 'basic' ? Buffer.from(value, 'base64').toString().split(':').slice(1).join(':') : value;
        return fixture.cloud.verifyAccessToken(token)?.aud === AZURE_DEVOPS;
      },
      repositories: { app: { 'README.md': '# app\n' } },
    });
    const result = await fixture.run({
      inputs: {
        azureDevOpsServiceConnection: fixture.scenario.devops.connection.id,
        tokenService: 'true',
        tokenServiceScopes: 'https://graph.microsoft.com',
        gitOrganizations: `${git.url}/contoso`,
      },
    });
    taskRun = result.run;
    workspace = result.workspace;
    assert.equal(taskRun.exitCode, 0, failure(taskRun));
    env = { ...isolatedEnvironment(caFile), ...laterStepEnvironment(taskRun), NODE_EXTRA_CA_CERTS: caFile };
  });
  after(async () => {
    await git.close();
    await fixture.close();
  });

  async function probe(): Promise<string> {
    const result = await runTool(process.execPath, [PROBE], env, workspace.workingDirectory);
    assert.equal(result.code, 0, result.output);
    const parsed: unknown = JSON.parse(result.output);
    const token: unknown = typeof parsed === 'object' && parsed !== null ? Reflect.get(parsed, 'token') : undefined;
    assert.equal(typeof token, 'string');
    return String(token);
  }

  describe('ManagedIdentityCredential in a later step', () => {
    it('gets a valid token twice, the second one freshly minted', async () => {
      const issuedBefore = fixture.cloud.issuedAccessTokens.length;

      const first = await probe();
      const second = await probe();

      assert.notEqual(first, second, 'a refresh happened');
      for (const token of [first, second]) {
        assert.equal(fixture.cloud.verifyAccessToken(token)?.aud, AZURE_DEVOPS);
        assert.equal(fixture.cloud.verifyAccessToken(token)?.appid, fixture.scenario.devops.app.clientId);
      }
      assert.equal(fixture.cloud.issuedAccessTokens.length, issuedBefore + 2);
    });
  });

  describe('git with the credential helper', () => {
    it('clones before and after a refresh, with no header baked into the environment', async () => {
      const clone = () => runTool('git', ['clone', git.repoUrl('app'), join(testTempDir('entra-svc-clone-'), 'app')], env, workspace.workingDirectory);
      const issuedBefore = fixture.cloud.issuedAccessTokens.length;

      const first = await clone();
      const second = await clone();

      assert.equal(first.code, 0, first.output);
      assert.equal(second.code, 0, second.output);
      assert.ok(fixture.cloud.issuedAccessTokens.length >= issuedBefore + 2, 'each clone got a fresh token');
      assert.ok(Object.values(env).every((value) => !value.toLowerCase().includes('authorization: bearer')));
    });
  });

  describe('the plain endpoint', () => {
    it('refuses a missing or wrong secret with 401 and a scope outside the allow-list with 403', async () => {
      const url = env.ENTRATOKEN_SERVICE_URL ?? '';
      const secret = env.ENTRATOKEN_SERVICE_SECRET ?? '';

      const missing = await get(url, {});
      const wrong = await get(url, { 'X-EntraToken-Secret': randomBytes(32).toString('hex') });
      const forbidden = await get(`${url}?scope=${encodeURIComponent('https://vault.azure.net/.default')}`, { 'X-EntraToken-Secret': secret });
      const graph = await get(`${url}?scope=${encodeURIComponent('https://graph.microsoft.com')}`, { 'X-EntraToken-Secret': secret });

      assert.equal(missing.status, 401);
      assert.equal(wrong.status, 401);
      assert.equal(forbidden.status, 403);
      assert.equal(graph.status, 200, graph.body);
      const parsed: unknown = JSON.parse(graph.body);
      const token: unknown = typeof parsed === 'object' && parsed !== null ? Reflect.get(parsed, 'access_token') : undefined;
      assert.equal(fixture.cloud.verifyAccessToken(String(token))?.aud, 'https://graph.microsoft.com');
    });
  });

  describe('the post-job step', () => {
    it('stops the service, closes its port, prints the issuance log and leaves no token on disk', async () => {
      const port = Number(new URL(env.ENTRATOKEN_SERVICE_URL ?? '').port);
      assert.equal(await portOpen(port), true);
      const recorded = taskRun.commands.find((c) => c.area === 'task.settaskvariable' && c.properties.variable === 'EntraToken.Service');
      const postEnv = { PATH: process.env.PATH ?? '', AGENT_TEMPDIRECTORY: workspace.tempDirectory, AGENT_VERSION: '4.260.0', VSTS_TASKVARIABLE_ENTRATOKEN_SERVICE: recorded?.message ?? '' };

      const post = await runTask(postEnv, workspace.workingDirectory, join(BUNDLE, '..', 'post.js'));

      assert.equal(post.exitCode, 0, post.stderr);
      assert.equal(await portOpen(port), false);
      assert.ok(post.lines.some((line) => /token service: .* issued a token for 499b84ac-1321-427f-aa17-267ca6975798\/\.default, expires /.test(line)));
      assert.ok(post.lines.some((line) => line.startsWith('Stopped the token service')));
      assertNoLeaks(post, { jobToken: fixture.cloud.jobToken, tokens: [...fixture.cloud.issuedOidcTokens, ...fixture.cloud.issuedAccessTokens] });
      fixture.assertNoTokenFiles(workspace);
    });
  });
});

describe('EntraToken token service when the agent goes away, end to end', function () {
  this.timeout(60_000);

  it('stops by itself once the agent process that ran the task is gone', async () => {
    const fixture = await Fixture.start();
    try {
      // The task's parent process is the agent: here a Node process that outlives the task until the test kills it.
      // (Not a shell: shells drop variables like ENDPOINT_AUTH_<guid> whose names hold dashes; the agent does not.)
      const { env, workspace } = fixture.prepare({ inputs: { azureDevOpsServiceConnection: fixture.scenario.devops.connection.id, tokenService: 'true' } });
      const standIn = 'require("child_process").spawn(process.execPath, [process.argv[1]], { stdio: "inherit" }); setTimeout(() => undefined, 60000);';
      const agent = spawn(TASK_NODE, ['-e', standIn, BUNDLE], { env, cwd: workspace.workingDirectory, stdio: ['ignore', 'pipe', 'ignore'] });
      let output = '';
      agent.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => { reject(new Error(`no service started: ${output}`)); }, 20_000);
        agent.stdout.on('data', () => {
          const url = output.split('\n').flatMap((line, index) => parseCommand(line, index) ?? []).find((c) => c.properties.variable === 'ENTRATOKEN_SERVICE_URL')?.message;
          if (url) { clearTimeout(timer); resolve(Number(new URL(url).port)); }
        });
      });
      assert.equal(await portOpen(port), true);

      agent.kill('SIGKILL');
      let open = true;
      for (let waited = 0; open && waited < 15_000; waited += 500) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        open = await portOpen(port);
      }

      assert.equal(open, false, 'the service outlived its agent');
    } finally {
      await fixture.close();
    }
  });
});
