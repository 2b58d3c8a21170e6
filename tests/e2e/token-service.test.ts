import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { testTempDir } from '../temp';
import { createTestCertificates } from '../fake-cloud';
import { startGitServer, type GitServer } from '../tool-servers';
import { BUNDLE, failure, parseCommand, runTask, type TaskRun } from './agent';
import { assertNoLeaks } from './leaks';
import { Fixture } from './fixture';
import { isolatedEnvironment, laterStepEnvironment, runTool } from './tool-env';

const AZURE_DEVOPS = '499b84ac-1321-427f-aa17-267ca6975798';
const PROBE = join(__dirname, 'mi-probe.js');

const GRAPH = 'https://graph.microsoft.com';
const ARM = 'https://management.azure.com';

function field(body: string, name: string): unknown {
  const parsed: unknown = JSON.parse(body);
  return typeof parsed === 'object' && parsed !== null ? Reflect.get(parsed, name) : undefined;
}

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
  let record: { url: string; pid: number; control: string };
  const lookupId = randomBytes(8).toString('hex');

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
        // Allowed with a trailing slash; callers below ask without one.
        tokenServiceScopes: `${GRAPH}\n${ARM}/`,
        gitOrganizations: `${git.url}/contoso`,
      },
      extra: { VSTS_PROCESS_LOOKUP_ID: lookupId },
    });
    taskRun = result.run;
    workspace = result.workspace;
    assert.equal(taskRun.exitCode, 0, failure(taskRun));
    env = { ...isolatedEnvironment(caFile), ...laterStepEnvironment(taskRun), NODE_EXTRA_CA_CERTS: caFile };
    const command = taskRun.commands.find((c) => c.area === 'task.settaskvariable' && c.properties.variable === 'EntraToken.Service');
    assert.equal(command?.properties.issecret, 'true', 'the record holds the control secret');
    const parsed: unknown = JSON.parse(command.message);
    const value = (name: string): unknown => (typeof parsed === 'object' && parsed !== null ? Reflect.get(parsed, name) : undefined);
    record = { url: String(value('url')), pid: Number(value('pid')), control: String(value('control')) };
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

  const secretHeader = () => ({ 'X-EntraToken-Secret': env.ENTRATOKEN_SERVICE_SECRET ?? '' });
  const tokenFor = (scope: string, query = '') => get(`${env.ENTRATOKEN_SERVICE_URL ?? ''}?scope=${encodeURIComponent(scope)}${query}`, secretHeader());

  describe('upstream requests per mint', () => {
    it('makes two requests per mint after the first (OIDC and token), never openid-configuration again', async () => {
      await tokenFor(GRAPH);
      const before = fixture.cloud.requests.length;
      const issuedBefore = fixture.cloud.issuedAccessTokens.length;

      for (let i = 0; i < 4; i += 1) assert.equal((await tokenFor(GRAPH)).status, 200);

      const mints = fixture.cloud.issuedAccessTokens.length - issuedBefore;
      const requests = fixture.cloud.requests.slice(before);
      assert.equal(mints, 4, '90-second tokens are always inside the refresh window');
      assert.equal(requests.length, 2 * mints, requests.map((r) => r.path).join(', '));
      assert.equal(requests.filter((r) => r.path.endsWith('openid-configuration')).length, 0);
    });
  });

  describe('a refresh that fails or hangs', () => {
    const sameToken = (a: string, b: string) => field(a, 'access_token') === field(b, 'access_token');

    async function timed(scope: string): Promise<{ status: number; body: string; ms: number }> {
      const started = Date.now();
      const answer = await tokenFor(scope);
      return { ...answer, ms: Date.now() - started };
    }

    it('serves the cached token (more than a minute left) within a few seconds while Entra answers 503', async () => {
      const cached = await tokenFor(ARM);
      assert.equal(cached.status, 200, cached.body);

      fixture.cloud.inject('token', { status: 503, times: Infinity });
      const answers = [await timed(`${ARM}/`), await timed(ARM), await timed(ARM)];
      fixture.cloud.clearFaults();

      for (const answer of answers) {
        assert.equal(answer.status, 200, answer.body);
        assert.ok(sameToken(answer.body, cached.body));
        assert.ok(Date.parse(String(field(answer.body, 'expires_on'))) - Date.now() >= 55_000);
      }
      assert.ok(Math.max(...answers.map((a) => a.ms)) < 5_000, `callers waited ${answers.map((a) => a.ms).join(', ')} ms`);
      // The refresh recovers once Entra does: a fresh token arrives (after the back-off, if it had given up).
      let recovered = false;
      for (let waited = 0; !recovered && waited < 25_000; waited += 1_000) {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        recovered = !sameToken((await tokenFor(ARM)).body, cached.body);
      }
      assert.ok(recovered, 'the service minted again after the outage');
    });

    it('serves the cached token within a few seconds while the token request hangs', async () => {
      const cached = await tokenFor('');
      assert.equal(cached.status, 200, cached.body);

      fixture.cloud.inject('token', { status: 503, delayMs: 15_000 });
      const answer = await timed('');
      fixture.cloud.clearFaults();

      assert.equal(answer.status, 200, answer.body);
      assert.ok(sameToken(answer.body, cached.body));
      assert.ok(answer.ms < 5_000, `the caller waited ${String(answer.ms)} ms`);
    });
  });

  describe('refresh=true', () => {
    it('reuses a token minted in the last 30 s however often a script asks', async () => {
      const fresh = await tokenFor(GRAPH);
      const issuedBefore = fixture.cloud.issuedAccessTokens.length;

      const burst = await Promise.all(Array.from({ length: 10 }, () => tokenFor(GRAPH, '&refresh=true')));

      assert.ok(burst.every((answer) => answer.status === 200 && field(answer.body, 'access_token') === field(fresh.body, 'access_token')));
      assert.equal(fixture.cloud.issuedAccessTokens.length, issuedBefore);
    });
  });

  describe('identity parameters and the Host header', () => {
    it('serves the connection\'s own client id, refuses another with 400, and refuses a rebound Host with 421', async () => {
      const endpoint = env.IDENTITY_ENDPOINT ?? '';
      const header = { 'X-IDENTITY-HEADER': env.IDENTITY_HEADER ?? '' };
      const query = `api-version=2019-08-01&resource=${encodeURIComponent(GRAPH)}`;

      const own = await get(`${endpoint}?${query}&client_id=${fixture.scenario.devops.app.clientId}`, header);
      const other = await get(`${endpoint}?${query}&client_id=${fixture.scenario.arm.app.clientId}`, header);
      const rebound = await get(`${endpoint}?${query}`, { ...header, Host: `attacker.example:${new URL(endpoint).port}` });
      const health = await get(endpoint.replace('/msi/token', '/health'), {});

      assert.equal(own.status, 200, own.body);
      assert.equal(other.status, 400);
      assert.match(String(field(other.body, 'message')), new RegExp(fixture.scenario.devops.app.clientId));
      assert.equal(rebound.status, 421);
      assert.deepEqual(JSON.parse(health.body), { status: 'ok' });
    });
  });

  describe('git with a stale global credential helper', () => {
    it('clones through the token service although a global helper answers wrong credentials first', async () => {
      const home = env.HOME ?? '';
      writeFileSync(join(home, '.gitconfig'), '[credential]\n\thelper = "!f() { echo username=stale; echo password=wrong-password; }; f"\n');
      try {
        const clone = await runTool('git', ['clone', git.repoUrl('app'), join(testTempDir('entra-svc-stale-'), 'app')], env, workspace.workingDirectory);

        assert.equal(clone.code, 0, clone.output);
      } finally {
        rmSync(join(home, '.gitconfig'), { force: true });
      }
    });
  });

  describe('the process the agent cleans up', () => {
    it('carries the job\'s VSTS_PROCESS_LOOKUP_ID, so the agent\'s orphan cleanup finds it', function () {
      if (process.platform !== 'linux') this.skip();
      const environ = readFileSync(`/proc/${String(record.pid)}/environ`, 'utf8').split('\0');

      assert.ok(environ.includes(`VSTS_PROCESS_LOOKUP_ID=${lookupId}`));
    });
  });

  describe('the post-job step', () => {
    it('stops the service, closes its port, prints its summary and leaves no token on disk, even with the temp folder gone', async () => {
      const port = Number(new URL(env.ENTRATOKEN_SERVICE_URL ?? '').port);
      assert.equal(await portOpen(port), true);
      const recorded = taskRun.commands.find((c) => c.area === 'task.settaskvariable' && c.properties.variable === 'EntraToken.Service');
      const postEnv = { PATH: process.env.PATH ?? '', AGENT_TEMPDIRECTORY: workspace.tempDirectory, AGENT_VERSION: '4.260.0', SYSTEM_DEBUG: 'true', VSTS_TASKVARIABLE_ENTRATOKEN_SERVICE: recorded?.message ?? '' };
      rmSync(workspace.tempDirectory, { recursive: true, force: true });
      const minted = await tokenFor(GRAPH);
      const wroteNothing = !existsSync(workspace.tempDirectory);

      const post = await runTask(postEnv, workspace.workingDirectory, join(BUNDLE, '..', 'post.js'));
      const again = await runTask(postEnv, workspace.workingDirectory, join(BUNDLE, '..', 'post.js'));

      assert.equal(minted.status, 200, 'minting works without Agent.TempDirectory');
      assert.equal(wroteNothing, true, 'the service wrote nothing there');
      assert.equal(post.exitCode, 0, post.stderr);
      assert.equal(await portOpen(port), false);
      assert.ok(post.lines.some((line) => /^Token service: 499b84ac-1321-427f-aa17-267ca6975798\/\.default: \d+ token\(s\) issued, the last one expiring /.test(line)), post.lines.join('\n'));
      assert.ok(post.lines.some((line) => line.startsWith('Stopped the token service')));
      assert.ok(!post.lines.some((line) => line.includes(record.control)), 'the control secret is not echoed');
      assert.equal(again.exitCode, 0, again.stderr);
      assert.ok(again.lines.some((line) => /had already stopped/.test(line)));
      for (const run of [post, again]) {
        assert.ok(!run.lines.some((line) => /^\s+at /.test(line)), 'no stack trace');
        assertNoLeaks(run, { jobToken: fixture.cloud.jobToken, tokens: [...fixture.cloud.issuedOidcTokens, ...fixture.cloud.issuedAccessTokens] });
      }
      mkdirSync(workspace.tempDirectory, { recursive: true });
      fixture.assertNoTokenFiles(workspace);
    });

    it('warns once, without a stack trace, when the record is garbage', async () => {
      const postEnv = { PATH: process.env.PATH ?? '', AGENT_TEMPDIRECTORY: workspace.tempDirectory, AGENT_VERSION: '4.260.0', VSTS_TASKVARIABLE_ENTRATOKEN_SERVICE: '{"url": "##vso[task.setvariable variable=x]y"' };

      const post = await runTask(postEnv, workspace.workingDirectory, join(BUNDLE, '..', 'post.js'));

      assert.equal(post.exitCode, 0, post.stderr);
      assert.equal(post.commands.filter((c) => c.area === 'task.issue' && c.properties.type === 'warning').length, 1);
      assert.ok(!post.commands.some((c) => c.area === 'task.setvariable'));
      assert.ok(!post.lines.some((line) => /^\s+at /.test(line)));
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
      const agent = spawn(process.execPath, ['-e', standIn, BUNDLE], { env, cwd: workspace.workingDirectory, stdio: ['ignore', 'pipe', 'ignore'] });
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
