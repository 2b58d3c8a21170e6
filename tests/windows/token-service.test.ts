import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:http';
import { portOpen } from '../port-open';
import { failure, type TaskRun } from '../e2e/agent';
import { assertNoLeaks } from '../e2e/leaks';
import { laterStepEnvironment } from '../e2e/tool-env';
import { parseJson, stringField } from '../../tasks/EntraToken/v1/src/common/json';
import { decodeClaims } from '../../tasks/EntraToken/v1/src/token/claims';
import { StandInAgent, type WindowsJob } from './windows-agent';
import { enterWindowsLane, WindowsFixture } from './lane';

const AZURE_DEVOPS = '499b84ac-1321-427f-aa17-267ca6975798';
const GIT_ORGANIZATION = 'https://dev.azure.com/contoso';
const ASSERTION_SECONDS = 8;

function getToken(url: string, secret: string): Promise<{ status: number; token: string | undefined }> {
  return new Promise((resolve, reject) => {
    request(url, { headers: { 'X-EntraToken-Secret': secret } }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, token: stringField(parseJson(body), 'access_token') });
      });
    })
      .on('error', reject)
      .end();
  });
}

async function waitUntilClosed(port: number, timeoutMs: number): Promise<boolean> {
  for (let waited = 0; waited < timeoutMs; waited += 250) {
    if (!(await portOpen(port))) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

/** The words `sh -c '<helper> get'` runs, as git (Git for Windows runs `!` helpers with its sh) would run it. */
function shellWords(helper: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const script = `set -- ${helper.replace(/^!/, '')} get; printf '%s\\n' "$@"`;
    execFile('sh', ['-c', script], { env: { PATH: process.env.PATH ?? '' } }, (error, stdout) => {
      if (error) reject(new Error(`sh -c failed: ${error.message}`));
      else resolve(stdout.split('\n').slice(0, -1));
    });
  });
}

describe('Windows lane (node.exe under Wine): the token service', function () {
  this.timeout(180_000);
  let lane: WindowsFixture;
  let started = false;
  let taskRun: TaskRun;
  let job: WindowsJob;
  let later: Record<string, string>;

  before(async function () {
    // 8-second assertions: the service must replace the token file (rename over it, under Windows rules) while the tests run.
    lane = await WindowsFixture.start(enterWindowsLane(this), { oidcLifetimeSeconds: ASSERTION_SECONDS });
    started = true;
    const result = await lane.run({
      inputs: {
        azureDevOpsServiceConnection: lane.fixture.scenario.devops.connection.id,
        tokenService: 'true',
        gitOrganizations: GIT_ORGANIZATION,
      },
      expectToolFiles: true,
    });
    taskRun = result.run;
    job = result.job;
    later = laterStepEnvironment(taskRun);
    assert.equal(taskRun.exitCode, 0, failure(taskRun) ?? taskRun.stderr);
  });
  after(async () => {
    if (started) await lane.close();
  });

  it('keeps AZURE_FEDERATED_TOKEN_FILE (a C:\\ path) current: the one token on disk, replaced before it expires', async () => {
    const tokenFile = later.AZURE_FEDERATED_TOKEN_FILE ?? '';
    const onLinux = join(job.linuxFolders[0] ?? '', tokenFile.split('\\').pop() ?? '');
    const first = readFileSync(onLinux, 'utf8');

    await new Promise((resolve) => setTimeout(resolve, (ASSERTION_SECONDS + 1) * 1000));
    const current = readFileSync(onLinux, 'utf8');

    assert.match(tokenFile, /^[A-Z]:\\.*\\entratoken-federated-[0-9a-f]{16}\.jwt$/);
    assert.deepEqual(lane.fixture.tokenFiles({ tempDirectory: job.linuxFolders[0] ?? '', workingDirectory: job.linuxFolders[1] ?? '' }), [
      onLinux,
    ]);
    assert.notEqual(current, first);
    assert.ok(lane.fixture.cloud.issuedOidcTokens.includes(current));
    assert.ok((decodeClaims(current)?.expiresAt?.getTime() ?? 0) > Date.now());
  });

  it('runs detached after the step ended, and answers a later step with a fresh token', async () => {
    const issued = lane.fixture.cloud.issuedAccessTokens.length;

    const answer = await getToken(later.ENTRATOKEN_SERVICE_URL ?? '', later.ENTRATOKEN_SERVICE_SECRET ?? '');

    assert.equal(answer.status, 200);
    assert.equal(lane.fixture.cloud.verifyAccessToken(answer.token ?? '')?.aud, AZURE_DEVOPS);
    assert.equal(lane.fixture.cloud.issuedAccessTokens.length, issued + 1);
  });

  it('gives git a helper that sh splits into node.exe, the bundle and --git-credential, despite spaces and $', async () => {
    const helper = later.GIT_CONFIG_VALUE_1 ?? '';

    const words = await shellWords(helper);

    // First an empty entry that resets the helper list (Git for Windows sets `manager` system-wide), then ours.
    assert.equal(later.GIT_CONFIG_KEY_0, `credential.${GIT_ORGANIZATION}.helper`);
    assert.equal(later.GIT_CONFIG_VALUE_0, '');
    assert.equal(later.GIT_CONFIG_KEY_1, `credential.${GIT_ORGANIZATION}.helper`);
    // Forward slashes: sh leaves them alone and Windows accepts them.
    const slashed = (path: string) => path.replace(/\\/g, '/');
    assert.deepEqual(words, [slashed(lane.wine.nodeExe), slashed(job.bundle), '--git-credential', 'get']);
  });

  it('answers git through that helper under node.exe with a token for Azure DevOps', async () => {
    const words = await shellWords(later.GIT_CONFIG_VALUE_1 ?? '');
    const env = { ...lane.environment(job), ...later };

    const result = await lane.agent.step(
      words.slice(1),
      env,
      job.workingDirectory,
      'protocol=https\nhost=dev.azure.com\npath=contoso/app\n\n',
    );

    assert.equal(result.exitCode, 0, result.stderr);
    const password = /^password=(.+)$/m.exec(result.stdout)?.[1] ?? '';
    assert.equal(lane.fixture.cloud.verifyAccessToken(password)?.aud, AZURE_DEVOPS);
    assert.match(result.stdout, /^username=/m);
  });

  it('is stopped by the post-job step, which prints its summary and leaves no token on disk', async () => {
    const port = Number(new URL(later.ENTRATOKEN_SERVICE_URL ?? '').port);
    const recorded = taskRun.commands.find((c) => c.area === 'task.settaskvariable' && c.properties.variable === 'EntraToken.Service');
    const env = { ...lane.environment(job), VSTS_TASKVARIABLE_ENTRATOKEN_SERVICE: recorded?.message ?? '' };

    const post = await lane.agent.runTask(job, env, job.bundle.replace(/index\.js$/, 'post.js'));

    assert.equal(post.exitCode, 0, post.stderr);
    assert.equal(await waitUntilClosed(port, 5_000), true, 'the port still answers');
    assert.ok(
      post.lines.some((line) => line.startsWith('Stopped the token service')),
      post.lines.join('\n'),
    );
    // Asked to stop over HTTP, not terminated: the summary is the service's own answer to the shutdown request.
    assert.ok(
      post.lines.some((line) => /^Token service: 499b84ac-1321-427f-aa17-267ca6975798\/\.default: \d+ token\(s\) issued/.test(line)),
      post.lines.join('\n'),
    );
    assertNoLeaks(post, {
      jobToken: lane.fixture.cloud.jobToken,
      tokens: [...lane.fixture.cloud.issuedOidcTokens, ...lane.fixture.cloud.issuedAccessTokens],
    });
    lane.assertNoTokenFiles(job);
  });

  it('stops by itself once the agent that ran the task is killed', async () => {
    const agent = await StandInAgent.start(lane.wine);
    const { run, job: orphaned } = await lane.run({
      agent,
      inputs: { azureDevOpsServiceConnection: lane.fixture.scenario.devops.connection.id, tokenService: 'true' },
      expectToolFiles: true,
    });
    assert.equal(run.exitCode, 0, failure(run) ?? run.stderr);
    const port = Number(new URL(laterStepEnvironment(run).ENTRATOKEN_SERVICE_URL ?? '').port);
    assert.equal(await portOpen(port), true);

    agent.kill();

    assert.equal(await waitUntilClosed(port, 20_000), true, 'the service outlived its agent');
    lane.assertNoTokenFiles(orphaned);
  });
});
