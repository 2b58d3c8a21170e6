// The docker credential helper on a Windows agent: the task puts docker-credential-entratoken.cmd first on PATH,
// and cmd (as Go's exec does through PATHEXT) finds it and runs node.exe on the bundle, which asks the service.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testTempDir } from '../temp';
import { createTestCertificates } from '../fake-cloud';
import { startContainerRegistry, type ContainerRegistry } from '../tool-servers';
import { failure, type TaskRun } from '../e2e/agent';
import { parseJson, stringField } from '../../tasks/EntraToken/v1/src/common/json';
import type { WindowsJob } from './windows-agent';
import { enterWindowsLane, WindowsFixture } from './lane';
import { linuxPath, windowsPath } from './wine';

const ARM = 'https://management.azure.com';
const HELPER = 'docker-credential-entratoken';

/** A later step's script: cmd looks the helper up on PATH by its bare name, as a client would. */
const RUN_HELPER = `const r = require('child_process').spawnSync('cmd.exe', ['/d', '/c', '${HELPER} get'], { input: process.argv[1], encoding: 'utf8' }); process.stdout.write(r.stdout); process.exitCode = r.status;`;

describe('Windows lane (node.exe under Wine): the docker credential helper', function () {
  this.timeout(180_000);
  let lane: WindowsFixture;
  let started = false;
  let registry: ContainerRegistry;
  let run: TaskRun;
  let job: WindowsJob;
  let folder = '';

  before(async function () {
    lane = await WindowsFixture.start(enterWindowsLane(this));
    started = true;
    const certificates = createTestCertificates(testTempDir('entra-win-acr-ca-'));
    registry = await startContainerRegistry({
      tls: { keyPem: certificates.keyPem, certPem: certificates.certPem },
      acceptsArmToken: (token) => lane.fixture.cloud.verifyAccessToken(token)?.aud === ARM,
      repository: 'contoso/app',
      tag: '1.0',
    });
    const bundle = join(testTempDir('entra-win-acr-bundle-'), 'ca.pem');
    writeFileSync(bundle, `${readFileSync(lane.fixture.cloud.caFile, 'utf8')}\n${readFileSync(certificates.caFile, 'utf8')}`);
    const result = await lane.run({
      inputs: {
        azureDevOpsServiceConnection: lane.fixture.scenario.devops.connection.id,
        tokenService: 'true',
        containerRegistries: registry.host,
      },
      extra: { NODE_EXTRA_CA_CERTS: windowsPath(bundle) },
      expectToolFiles: true,
    });
    run = result.run;
    job = result.job;
    assert.equal(run.exitCode, 0, failure(run) ?? run.stderr);
    folder = run.commands.find((command) => command.area === 'task.prependpath')?.message ?? '';
  });
  after(async () => {
    if (started) {
      await registry.close();
      await lane.close();
    }
  });

  it('puts a .cmd helper, in a folder under the Windows Agent.TempDirectory, first on PATH', () => {
    const script = readFileSync(linuxPath(lane.wine.prefix, `${folder}\\${HELPER}.cmd`), 'utf8');

    assert.ok(folder.startsWith(`${job.tempDirectory}\\`), folder);
    assert.equal(script, `@"${lane.wine.nodeExe}" "${job.bundle}" --docker-credential %*\r\n`);
  });

  it('answers cmd, which finds it through PATHEXT, with a refresh token the registry issued', async () => {
    const env = { ...lane.environment(job), PATH: `${folder};C:\\windows\\system32;C:\\windows`, PATHEXT: '.COM;.EXE;.BAT;.CMD' };
    const later = Object.fromEntries(
      run.commands
        .filter((command) => command.area === 'task.setvariable' && command.properties.issecret === 'false')
        .map((command) => [(command.properties.variable ?? '').toUpperCase(), command.message]),
    );

    const answer = await lane.agent.step(['-e', RUN_HELPER, registry.host], { ...env, ...later, PATH: env.PATH }, job.workingDirectory);

    assert.equal(answer.exitCode, 0, `${answer.stdout}${answer.stderr}`);
    const parsed = parseJson(answer.stdout);
    assert.equal(stringField(parsed, 'Username'), '<token>');
    assert.ok(registry.refreshTokens.has(stringField(parsed, 'Secret') ?? ''), answer.stdout);
  });

  it('is deleted by the post-job step, with the Docker config', async () => {
    const recorded = (variable: string) =>
      run.commands.find((c) => c.area === 'task.settaskvariable' && c.properties.variable === variable)?.message ?? '';
    const env = {
      ...lane.environment(job),
      VSTS_TASKVARIABLE_ENTRATOKEN_FILES: recorded('EntraToken.Files'),
      VSTS_TASKVARIABLE_ENTRATOKEN_SERVICE: recorded('EntraToken.Service'),
    };

    const post = await lane.agent.runTask(job, env, job.bundle.replace(/index\.js$/, 'post.js'));

    assert.equal(post.exitCode, 0, post.stderr);
    assert.equal(existsSync(linuxPath(lane.wine.prefix, `${folder}\\${HELPER}.cmd`)), false);
    assert.equal(existsSync(linuxPath(lane.wine.prefix, `${folder}\\config.json`)), false);
    lane.assertNoTokenFiles(job);
  });
});
