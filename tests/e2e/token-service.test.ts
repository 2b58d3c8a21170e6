import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { testTempDir } from '../temp';
import { BUNDLE, TASK_NODE, parseCommand, runTask } from './agent';
import { assertNoLeaks } from './leaks';
import { Fixture } from './fixture';
import { runTool } from './tool-env';
import { AZURE_DEVOPS, GRAPH, ServiceJob, field, get, portOpen } from './service-job';

const PROBE = join(__dirname, 'mi-probe.js');

describe('EntraToken token service, end to end', function () {
  this.timeout(120_000);
  let job: ServiceJob;

  before(async () => {
    job = await ServiceJob.start();
  });
  after(async () => {
    await job.close();
  });

  /** Only the App Service variables: with AZURE_FEDERATED_TOKEN_FILE too, @azure/identity prefers workload identity. */
  async function probe(): Promise<string> {
    const appService = Object.fromEntries(Object.entries(job.env).filter(([name]) => name !== 'AZURE_FEDERATED_TOKEN_FILE'));
    const result = await runTool(process.execPath, [PROBE], appService, job.workspace.workingDirectory);
    assert.equal(result.code, 0, result.output);
    const token = field(result.output, 'token');
    assert.equal(typeof token, 'string');
    return String(token);
  }

  describe('ManagedIdentityCredential in a later step, through IDENTITY_ENDPOINT', () => {
    it('gets a valid token twice, the second one freshly minted', async () => {
      const issuedBefore = job.fixture.cloud.issuedAccessTokens.length;

      const first = await probe();
      const second = await probe();

      assert.notEqual(first, second, 'a refresh happened');
      for (const token of [first, second]) {
        assert.equal(job.fixture.cloud.verifyAccessToken(token)?.aud, AZURE_DEVOPS);
        assert.equal(job.fixture.cloud.verifyAccessToken(token)?.appid, job.fixture.scenario.devops.app.clientId);
      }
      assert.equal(job.fixture.cloud.issuedAccessTokens.length, issuedBefore + 2);
    });
  });

  describe('git with the credential helper', () => {
    it('clones before and after a refresh, with no header baked into the environment', async () => {
      const clone = () =>
        runTool(
          'git',
          ['clone', job.git.repoUrl('app'), join(testTempDir('entra-svc-clone-'), 'app')],
          job.env,
          job.workspace.workingDirectory,
        );
      const issuedBefore = job.fixture.cloud.issuedAccessTokens.length;

      const first = await clone();
      const second = await clone();

      assert.equal(first.code, 0, first.output);
      assert.equal(second.code, 0, second.output);
      assert.ok(job.fixture.cloud.issuedAccessTokens.length >= issuedBefore + 2, 'each clone got a fresh token');
      assert.ok(Object.values(job.env).every((value) => !value.toLowerCase().includes('authorization: bearer')));
    });
  });

  describe('the plain endpoint', () => {
    it('refuses a missing or wrong secret with 401 and a scope outside the allow-list with 403', async () => {
      const url = job.env.ENTRATOKEN_SERVICE_URL ?? '';
      const secret = job.env.ENTRATOKEN_SERVICE_SECRET ?? '';

      const missing = await get(url, {});
      const wrong = await get(url, { 'X-EntraToken-Secret': randomBytes(32).toString('hex') });
      const forbidden = await get(`${url}?scope=${encodeURIComponent('https://vault.azure.net/.default')}`, {
        'X-EntraToken-Secret': secret,
      });
      const graph = await get(`${url}?scope=${encodeURIComponent('https://graph.microsoft.com')}`, { 'X-EntraToken-Secret': secret });

      assert.equal(missing.status, 401);
      assert.equal(wrong.status, 401);
      assert.equal(forbidden.status, 403);
      assert.equal(graph.status, 200, graph.body);
      assert.equal(job.fixture.cloud.verifyAccessToken(String(field(graph.body, 'access_token')))?.aud, 'https://graph.microsoft.com');
    });
  });

  describe('the post-job step', () => {
    it('stops the service, closes its port, prints its summary and leaves no token on disk, even with the temp folder gone', async () => {
      const port = Number(new URL(job.env.ENTRATOKEN_SERVICE_URL ?? '').port);
      assert.equal(await portOpen(port), true);
      const postEnv = {
        PATH: process.env.PATH ?? '',
        AGENT_TEMPDIRECTORY: job.workspace.tempDirectory,
        AGENT_VERSION: '4.260.0',
        SYSTEM_DEBUG: 'true',
        VSTS_TASKVARIABLE_ENTRATOKEN_SERVICE: job.record.message,
      };
      rmSync(job.workspace.tempDirectory, { recursive: true, force: true });
      const minted = await job.tokenFor(GRAPH);
      const wroteNothing = !existsSync(job.workspace.tempDirectory);

      const post = await runTask(postEnv, job.workspace.workingDirectory, join(BUNDLE, '..', 'post.js'));
      const again = await runTask(postEnv, job.workspace.workingDirectory, join(BUNDLE, '..', 'post.js'));

      assert.equal(minted.status, 200, 'minting works without Agent.TempDirectory');
      assert.equal(wroteNothing, true, 'the service wrote nothing there');
      assert.equal(post.exitCode, 0, post.stderr);
      assert.equal(await portOpen(port), false);
      assert.ok(
        post.lines.some((line) =>
          /^Token service: 499b84ac-1321-427f-aa17-267ca6975798\/\.default: \d+ token\(s\) issued, the last one expiring /.test(line),
        ),
        post.lines.join('\n'),
      );
      assert.ok(post.lines.some((line) => line.startsWith('Stopped the token service')));
      assert.ok(!post.lines.some((line) => line.includes(job.record.control)), 'the control secret is not echoed');
      assert.ok(post.lines.includes('Deleted the federated token file.'), post.lines.join('\n'));
      assert.equal(existsSync(job.env.AZURE_FEDERATED_TOKEN_FILE ?? ''), false);
      assert.equal(again.exitCode, 0, again.stderr);
      assert.ok(again.lines.some((line) => /had already stopped/.test(line)));
      for (const run of [post, again]) {
        assert.ok(!run.lines.some((line) => /^\s+at /.test(line)), 'no stack trace');
        assertNoLeaks(run, {
          jobToken: job.fixture.cloud.jobToken,
          tokens: [...job.fixture.cloud.issuedOidcTokens, ...job.fixture.cloud.issuedAccessTokens],
        });
      }
      mkdirSync(job.workspace.tempDirectory, { recursive: true });
      job.fixture.assertNoTokenFiles(job.workspace);
    });

    it('warns once, without a stack trace, when the record is garbage', async () => {
      const postEnv = {
        PATH: process.env.PATH ?? '',
        AGENT_TEMPDIRECTORY: job.workspace.tempDirectory,
        AGENT_VERSION: '4.260.0',
        VSTS_TASKVARIABLE_ENTRATOKEN_SERVICE: '{"url": "##vso[task.setvariable variable=x]y"',
      };

      const post = await runTask(postEnv, job.workspace.workingDirectory, join(BUNDLE, '..', 'post.js'));

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
      const { env, workspace } = fixture.prepare({
        inputs: { azureDevOpsServiceConnection: fixture.scenario.devops.connection.id, tokenService: 'true' },
      });
      const standIn =
        'require("child_process").spawn(process.execPath, [process.argv[1]], { stdio: "inherit" }); setTimeout(() => undefined, 60000);';
      const agent = spawn(TASK_NODE, ['-e', standIn, BUNDLE], {
        env,
        cwd: workspace.workingDirectory,
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      let output = '';
      agent.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`no service started: ${output}`));
        }, 20_000);
        agent.stdout.on('data', () => {
          const url = output
            .split('\n')
            .flatMap((line, index) => parseCommand(line, index) ?? [])
            .find((c) => c.properties.variable === 'ENTRATOKEN_SERVICE_URL')?.message;
          if (url) {
            clearTimeout(timer);
            resolve(Number(new URL(url).port));
          }
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
