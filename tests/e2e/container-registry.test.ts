import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testTempDir } from '../temp';
import { createTestCertificates } from '../fake-cloud';
import { startContainerRegistry, type ContainerRegistry } from '../tool-servers';
import { failure, runPostJob, type TaskRun } from './agent';
import { countRequests, Fixture, OIDC_PATH, TOKEN_PATH, type FixtureRun } from './fixture';
import { isolatedEnvironment, laterStepEnvironment, runTool } from './tool-env';
import { skopeoMissing } from './skopeo';

const ARM = 'https://management.azure.com';

describe('EntraToken configures a container registry (ACR token exchange) for a real skopeo, end to end', function () {
  this.timeout(120_000);
  let fixture: Fixture;
  let registry: ContainerRegistry;
  let certDirectory: string;
  let caFile: string;
  let result: FixtureRun;
  let taskRun: TaskRun;

  before(async () => {
    fixture = await Fixture.start();
    const certificates = createTestCertificates(testTempDir('entra-acr-ca-'));
    caFile = certificates.caFile;
    registry = await startContainerRegistry({
      tls: { keyPem: certificates.keyPem, certPem: certificates.certPem },
      acceptsArmToken: (token) => fixture.cloud.verifyAccessToken(token)?.aud === ARM,
      repository: 'contoso/app',
      tag: '1.0',
    });
    certDirectory = testTempDir('entra-acr-certs-');
    writeFileSync(join(certDirectory, 'ca.crt'), readFileSync(caFile));
    // The task must trust both the fake cloud and the registry, as an agent trusts both real services.
    const bundle = join(certDirectory, 'bundle.pem');
    writeFileSync(bundle, `${readFileSync(fixture.cloud.caFile, 'utf8')}\n${readFileSync(caFile, 'utf8')}`);
    const earlier = testTempDir('entra-acr-earlier-');
    mkdirSync(join(earlier, 'docker'));
    writeFileSync(
      join(earlier, 'docker', 'config.json'),
      JSON.stringify({ auths: { 'other.example': { auth: 'dTpw' } }, credHelpers: { [registry.host]: 'acr-env' } }),
    );

    result = await fixture.run({
      inputs: { azureDevOpsServiceConnection: fixture.scenario.devops.connection.id, containerRegistries: registry.host },
      extra: { NODE_EXTRA_CA_CERTS: bundle, DOCKER_CONFIG: join(earlier, 'docker') },
      expectToolFiles: true,
    });
    taskRun = result.run;
    assert.equal(taskRun.exitCode, 0, failure(taskRun));
  });
  after(async () => {
    await registry.close();
    await fixture.close();
  });

  it('mints the ARM token on its own, from the same OIDC assertion', () => {
    assert.equal(countRequests(result.requests, OIDC_PATH), 1);
    assert.equal(countRequests(result.requests, TOKEN_PATH), 2);
    assert.ok(
      taskRun.lines.some((line) => line.includes(`DOCKER_CONFIG, REGISTRY_AUTH_FILE (${registry.host}) (token for '${ARM}/.default')`)),
      taskRun.lines.join('\n'),
    );
  });

  it('writes a Docker config with the ACR user and the refresh token, merged with the earlier one', () => {
    const env = laterStepEnvironment(taskRun);
    const config: unknown = JSON.parse(readFileSync(env.REGISTRY_AUTH_FILE ?? '', 'utf8'));

    assert.equal(env.REGISTRY_AUTH_FILE, join(env.DOCKER_CONFIG ?? '', 'config.json'));
    assert.ok(env.DOCKER_CONFIG?.startsWith(result.workspace.tempDirectory));
    assert.deepEqual(config, {
      auths: {
        'other.example': { auth: 'dTpw' },
        [registry.host]: {
          auth: Buffer.from('00000000-0000-0000-0000-000000000000:').toString('base64'),
          identitytoken: [...registry.refreshTokens][0],
        },
      },
    });
  });

  it('a real skopeo inspect fails without the adapter and succeeds with it', async function () {
    const reason = skopeoMissing();
    if (reason !== undefined) {
      console.log(`      skipped: ${reason}`);
      this.skip();
    }
    const image = `docker://${registry.host}/contoso/app:1.0`;
    const emptyAuth = join(testTempDir('entra-acr-empty-'), 'auth.json');
    writeFileSync(emptyAuth, '{}');
    const bare = { ...isolatedEnvironment(caFile), REGISTRY_AUTH_FILE: emptyAuth };

    const denied = await runTool('skopeo', ['inspect', '--tls-verify=true', '--cert-dir', certDirectory, image], bare, certDirectory);
    const inspected = await runTool(
      'skopeo',
      ['inspect', '--tls-verify=true', '--cert-dir', certDirectory, image],
      { ...isolatedEnvironment(caFile), ...laterStepEnvironment(taskRun) },
      certDirectory,
    );

    assert.notEqual(denied.code, 0, denied.output);
    assert.equal(inspected.code, 0, inspected.output);
    assert.match(inspected.output, /"Architecture": "amd64"/);
    assert.ok(registry.requests.some((request) => request.path === '/oauth2/token' && request.status === 200));
    console.log(`      ${(await runTool('skopeo', ['--version'], bare, certDirectory)).output.trim()}`);
  });

  it('the post-job step deletes the config, leaving no token on disk', async () => {
    const { tempDirectory, workingDirectory } = result.workspace;
    const path = laterStepEnvironment(taskRun).REGISTRY_AUTH_FILE ?? '';

    const post = await runPostJob(taskRun, tempDirectory, workingDirectory);

    assert.equal(post.exitCode, 0, post.stderr);
    assert.equal(existsSync(path), false);
    fixture.assertNoTokenFiles({ tempDirectory, workingDirectory });
  });
});
