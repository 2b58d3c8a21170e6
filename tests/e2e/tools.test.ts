import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { testTempDir } from '../temp';
import { createTestCertificates } from '../fake-cloud';
import {
  startGitServer,
  startNpmRegistry,
  startPipIndex,
  type Authorize,
  type GitServer,
  type NpmRegistry,
  type PipIndex,
} from '../tool-servers';
import { failure, runPostJob, variables, type TaskRun } from './agent';
import { Fixture } from './fixture';
import { isolatedEnvironment, laterStepEnvironment, runTool } from './tool-env';

/** What an earlier step already set: the task must add to it, and later steps still see it. */
const EARLIER_STEP = {
  VSS_NUGET_EXTERNAL_FEED_ENDPOINTS: JSON.stringify({
    endpointCredentials: [{ endpoint: 'https://earlier.example/index.json', username: 'u', password: 'earlier-secret' }],
  }),
  GIT_CONFIG_COUNT: '1',
  GIT_CONFIG_KEY_0: 'core.autocrlf',
  GIT_CONFIG_VALUE_0: 'false',
};
const AZURE_DEVOPS = '499b84ac-1321-427f-aa17-267ca6975798';

describe('EntraToken configures real tools for later steps, end to end', function () {
  this.timeout(120_000);
  let fixture: Fixture;
  let git: GitServer;
  let npm: NpmRegistry;
  let pip: PipIndex;
  let caFile: string;
  let taskRun: TaskRun;
  let token: string;
  let tempDirectory: string;
  let workingDirectory: string;

  /** The servers accept only a live Azure DevOps token that the fake cloud issued, as Bearer or as Basic password. */
  const authorize: Authorize = (header) => {
    const [scheme, value = ''] = (header ?? '').split(' ');
    const candidate = scheme?.toLowerCase() === 'basic' ? Buffer.from(value, 'base64').toString().split(':').slice(1).join(':') : value;
    return fixture.cloud.verifyAccessToken(decodeURIComponent(candidate))?.aud === AZURE_DEVOPS;
  };

  before(async () => {
    fixture = await Fixture.start();
    const certificates = createTestCertificates(testTempDir('entra-tools-ca-'));
    caFile = certificates.caFile;
    const tls = { keyPem: certificates.keyPem, certPem: certificates.certPem };
    git = await startGitServer({ tls, authorize, repositories: { app: { 'README.md': '# app\n' } } });
    npm = await startNpmRegistry({ tls, authorize, packageName: '@contoso/hello', version: '1.2.3' });
    pip = await startPipIndex({ tls, authorize, projectName: 'contoso-hello', version: '1.2.3' });

    const result = await fixture.run({
      inputs: {
        azureDevOpsServiceConnection: fixture.scenario.devops.connection.id,
        nugetFeeds: 'https://pkgs.contoso.example/_packaging/feed/nuget/v3/index.json',
        npmRegistries: npm.url,
        pipIndexes: pip.url,
        pipReplaceIndex: 'true',
        gitOrganizations: `${git.url}/contoso`,
        environmentVariables: 'RENOVATE_TOKEN\nAZURE_DEVOPS_EXT_PAT',
      },
      extra: EARLIER_STEP,
      expectToolFiles: true,
    });
    taskRun = result.run;
    tempDirectory = result.workspace.tempDirectory;
    workingDirectory = result.workspace.workingDirectory;
    assert.equal(taskRun.exitCode, 0, failure(taskRun));
    token = variables(taskRun).get('EntraAccessToken')?.value ?? '';
  });
  after(async () => {
    await Promise.all([git.close(), npm.close(), pip.close()]);
    await fixture.close();
  });

  function withAdapters(): Record<string, string> {
    return { ...isolatedEnvironment(caFile), ...EARLIER_STEP, ...laterStepEnvironment(taskRun) };
  }

  describe('git', () => {
    it('ls-remote and clone fail without the adapter and succeed with it, with no .gitconfig written', async () => {
      const repo = git.repoUrl('app');
      const bare = isolatedEnvironment(caFile);

      const denied = await runTool('git', ['ls-remote', repo], bare, workingDirectory);
      const listed = await runTool('git', ['ls-remote', repo], withAdapters(), workingDirectory);
      const env = withAdapters();
      const cloned = await runTool('git', ['clone', repo, join(testTempDir('entra-clone-'), 'app')], env, workingDirectory);

      assert.notEqual(denied.code, 0);
      assert.equal(listed.code, 0, listed.output);
      assert.match(listed.output, /refs\/heads\/main/);
      assert.equal(cloned.code, 0, cloned.output);
      assert.equal(existsSync(join(env.HOME ?? '', '.gitconfig')), false);
      assert.equal(env.GIT_CONFIG_COUNT, '2', 'the organization is added after the earlier entry');
      assert.equal(env.GIT_CONFIG_KEY_1, `http.${git.url}/contoso.extraheader`);
    });
  });

  describe('npm', () => {
    it('view and install fail without the adapter and succeed with it', async () => {
      const project = testTempDir('entra-npm-');
      const args = ['--registry', npm.url];

      const denied = await runTool('npm', ['view', '@contoso/hello', 'version', ...args], isolatedEnvironment(caFile), project);
      const env = withAdapters();
      const viewed = await runTool(
        'npm',
        ['view', '@contoso/hello', 'version', ...args, '--userconfig', env.NPM_CONFIG_USERCONFIG ?? ''],
        env,
        project,
      );
      const installed = await runTool(
        'npm',
        ['install', '@contoso/hello', ...args, '--userconfig', env.NPM_CONFIG_USERCONFIG ?? ''],
        env,
        project,
      );

      assert.notEqual(denied.code, 0);
      assert.equal(viewed.code, 0, viewed.output);
      assert.match(viewed.output, /1\.2\.3/);
      assert.equal(installed.code, 0, installed.output);
      assert.ok(existsSync(join(project, 'node_modules', '@contoso', 'hello', 'package.json')));
    });

    it('writes the .npmrc under Agent.TempDirectory, readable only by its owner', () => {
      const path = laterStepEnvironment(taskRun).NPM_CONFIG_USERCONFIG ?? '';

      assert.ok(path.startsWith(tempDirectory), path);
      assert.equal(statSync(path).mode & 0o777, 0o600);
    });
  });

  describe('pip', () => {
    it('download fails without the adapter and succeeds with it', async () => {
      const target = testTempDir('entra-pip-');
      const args = ['-m', 'pip', 'download', 'contoso-hello==1.2.3', '--no-deps', '--only-binary=:all:', '-d', target, '--retries', '0'];

      const denied = await runTool(process.env.PYTHON ?? 'python3', [...args, '--index-url', pip.url], isolatedEnvironment(caFile), target);
      const downloaded = await runTool(process.env.PYTHON ?? 'python3', args, withAdapters(), target);

      assert.notEqual(denied.code, 0);
      assert.equal(downloaded.code, 0, downloaded.output);
      assert.match(downloaded.output, /Saved .*contoso_hello-1\.2\.3/);
    });
  });

  describe('NuGet and plain environment variables', () => {
    it('merges the feed into the credential provider JSON and exports the named variables', () => {
      const env = laterStepEnvironment(taskRun);
      const endpoints: unknown = JSON.parse(env.VSS_NUGET_EXTERNAL_FEED_ENDPOINTS ?? '');

      assert.deepEqual(endpoints, {
        endpointCredentials: [
          { endpoint: 'https://earlier.example/index.json', username: 'u', password: 'earlier-secret' },
          { endpoint: 'https://pkgs.contoso.example/_packaging/feed/nuget/v3/index.json', username: 'entratoken', password: token },
        ],
      });
      assert.equal(env.RENOVATE_TOKEN, token);
      assert.equal(env.AZURE_DEVOPS_EXT_PAT, token);
    });
  });

  describe('the post-job step', () => {
    it('removes the files the task wrote, and leaves no token on disk', async () => {
      const npmrc = laterStepEnvironment(taskRun).NPM_CONFIG_USERCONFIG ?? '';
      assert.ok(readFileSync(npmrc, 'utf8').includes(':_authToken='));

      const post = await runPostJob(taskRun, tempDirectory, workingDirectory);

      assert.equal(post.exitCode, 0, post.stderr);
      assert.equal(existsSync(npmrc), false);
      fixture.assertNoTokenFiles({ tempDirectory, workingDirectory });
    });
  });
});
