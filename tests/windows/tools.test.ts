import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { testTempDir } from '../temp';
import { createTestCertificates } from '../fake-cloud';
import { startGitServer, startNpmRegistry, type Authorize, type GitServer, type NpmRegistry } from '../tool-servers';
import { failure, type TaskRun } from '../e2e/agent';
import { isolatedEnvironment, laterStepEnvironment, runTool } from '../e2e/tool-env';
import type { WindowsJob } from './windows-agent';
import { enterWindowsLane, WindowsFixture } from './lane';
import { linuxPath } from './wine';

const AZURE_DEVOPS = '499b84ac-1321-427f-aa17-267ca6975798';

describe('Windows lane (node.exe under Wine): tool adapters', function () {
  this.timeout(180_000);
  let lane: WindowsFixture;
  let started = false;
  let git: GitServer;
  let npm: NpmRegistry;
  let caFile: string;
  let taskRun: TaskRun;
  let job: WindowsJob;

  const authorize: Authorize = (header) => {
    const [scheme, value = ''] = (header ?? '').split(' ');
    const candidate = scheme?.toLowerCase() === 'basic' ? Buffer.from(value, 'base64').toString().split(':').slice(1).join(':') : value;
    return lane.fixture.cloud.verifyAccessToken(decodeURIComponent(candidate))?.aud === AZURE_DEVOPS;
  };

  before(async function () {
    lane = await WindowsFixture.start(enterWindowsLane(this));
    started = true;
    const certificates = createTestCertificates(testTempDir('entra-wine-tools-ca-'));
    caFile = certificates.caFile;
    const tls = { keyPem: certificates.keyPem, certPem: certificates.certPem };
    git = await startGitServer({ tls, authorize, repositories: { app: { 'README.md': '# app\n' } } });
    npm = await startNpmRegistry({ tls, authorize, packageName: '@contoso/hello', version: '1.2.3' });
    const result = await lane.run({
      inputs: {
        azureDevOpsServiceConnection: lane.fixture.scenario.devops.connection.id,
        npmRegistries: npm.url,
        gitOrganizations: `${git.url}/contoso`,
      },
      expectToolFiles: true,
    });
    taskRun = result.run;
    job = result.job;
    assert.equal(taskRun.exitCode, 0, failure(taskRun) ?? taskRun.stderr);
  });
  after(async () => {
    if (!started) return;
    await Promise.all([git.close(), npm.close()]);
    await lane.close();
  });

  describe('npm', () => {
    it('writes the .npmrc under the Windows Agent.TempDirectory, and npm installs with it', async () => {
      const windowsNpmrc = laterStepEnvironment(taskRun).NPM_CONFIG_USERCONFIG ?? '';
      const npmrc = linuxPath(lane.wine.prefix, windowsNpmrc);
      const project = testTempDir('entra-wine-npm-');

      const installed = await runTool(
        'npm',
        ['install', '@contoso/hello', '--registry', npm.url, '--userconfig', npmrc],
        isolatedEnvironment(caFile),
        project,
      );

      assert.ok(windowsNpmrc.startsWith(`${job.tempDirectory}\\`), windowsNpmrc);
      assert.equal(installed.code, 0, installed.output);
      assert.ok(existsSync(`${project}/node_modules/@contoso/hello/package.json`));
    });
  });

  describe('git', () => {
    it('configures the header through GIT_CONFIG_*, and git lists the repository with it', async () => {
      const env = { ...isolatedEnvironment(caFile), ...laterStepEnvironment(taskRun) };

      const listed = await runTool('git', ['ls-remote', git.repoUrl('app')], env, testTempDir('entra-wine-git-'));

      assert.equal(env.GIT_CONFIG_KEY_0, `http.${git.url}/contoso.extraheader`);
      assert.equal(listed.code, 0, listed.output);
      assert.match(listed.output, /refs\/heads\/main/);
    });
  });

  describe('the post-job step', () => {
    it('deletes the .npmrc by its Windows path, and leaves no token in the job folders', async () => {
      const recorded = taskRun.commands.find((c) => c.area === 'task.settaskvariable' && c.properties.variable === 'EntraToken.Files');
      const npmrc = linuxPath(lane.wine.prefix, laterStepEnvironment(taskRun).NPM_CONFIG_USERCONFIG ?? '');
      assert.ok(readFileSync(npmrc, 'utf8').includes(':_authToken='));
      const env = { ...lane.environment(job), VSTS_TASKVARIABLE_ENTRATOKEN_FILES: recorded?.message ?? '' };

      const post = await lane.agent.runTask(job, env, job.bundle.replace(/index\.js$/, 'post.js'));

      assert.equal(post.exitCode, 0, post.stderr);
      assert.equal(existsSync(npmrc), false);
      lane.checkNoLeaks(post, job);
    });
  });
});
