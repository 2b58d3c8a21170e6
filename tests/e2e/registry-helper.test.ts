// containerRegistries with the token service: docker-credential-entratoken on PATH and named in credHelpers, so a
// pull late in the job gets a fresh ACR refresh token. The registry's refresh tokens live 10 s here, so "past the
// static token's life" is a short wait, not a mocked clock.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { testTempDir } from '../temp';
import { createTestCertificates } from '../fake-cloud';
import { decodeClaims } from '../../tasks/EntraToken/v1/src/token/claims';
import { startContainerRegistry, type ContainerRegistry } from '../tool-servers';
import { failure, runPostJob, type TaskRun } from './agent';
import { Fixture, type FixtureRun } from './fixture';
import { filesContaining } from './scenario';
import { assertNoLeaks } from './leaks';
import { isolatedEnvironment, laterStepEnvironment, runTool } from './tool-env';
import { skopeoMissing } from './skopeo';

const ARM = 'https://management.azure.com';
const HELPER = 'docker-credential-entratoken';
const LIFETIME_MS = 10_000;

/** Runs a program found on the step's PATH, with stdin, as a client runs a credential helper. */
function runHelper(args: readonly string[], env: Record<string, string>, input: string): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(HELPER, args, { env, stdio: ['pipe', 'pipe', 'inherit'], timeout: 30_000 });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout });
    });
    child.stdin.end(input);
  });
}

/** The value at a path of object keys in parsed JSON, or undefined. */
function at(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) current = typeof current === 'object' && current !== null ? Reflect.get(current, key) : undefined;
  return current;
}

function secretOf(stdout: string): string {
  return String(at(JSON.parse(stdout), 'Secret'));
}

describe('EntraToken docker credential helper from the token service, end to end', function () {
  this.timeout(120_000);
  let fixture: Fixture;
  let registry: ContainerRegistry;
  let certDirectory: string;
  let result: FixtureRun;
  let run: TaskRun;
  let stepEnv: Record<string, string>;
  let staticToken = '';

  before(async () => {
    fixture = await Fixture.start();
    const certificates = createTestCertificates(testTempDir('entra-helper-ca-'));
    registry = await startContainerRegistry({
      tls: { keyPem: certificates.keyPem, certPem: certificates.certPem },
      acceptsArmToken: (token) => fixture.cloud.verifyAccessToken(token)?.aud === ARM,
      repository: 'contoso/app',
      tag: '1.0',
      refreshTokenLifetimeMs: LIFETIME_MS,
    });
    certDirectory = testTempDir('entra-helper-certs-');
    writeFileSync(join(certDirectory, 'ca.crt'), readFileSync(certificates.caFile));
    const bundle = join(certDirectory, 'bundle.pem');
    writeFileSync(bundle, `${readFileSync(fixture.cloud.caFile, 'utf8')}\n${readFileSync(certificates.caFile, 'utf8')}`);
    result = await fixture.run({
      inputs: {
        azureDevOpsServiceConnection: fixture.scenario.devops.connection.id,
        tokenService: 'true',
        containerRegistries: registry.host,
      },
      extra: { NODE_EXTRA_CA_CERTS: bundle },
      expectToolFiles: true,
    });
    run = result.run;
    assert.equal(run.exitCode, 0, failure(run));
    stepEnv = { ...isolatedEnvironment(certificates.caFile), ...laterStepEnvironment(run) };
    staticToken = [...registry.refreshTokens][0] ?? '';
  });
  after(async () => {
    await registry.close();
    await fixture.close();
  });

  describe('what the task sets up', () => {
    it('names the helper for the registry, keeps the static token beside it, and puts the helper first on PATH', () => {
      const directory = stepEnv.DOCKER_CONFIG ?? '';
      const config: unknown = JSON.parse(readFileSync(join(directory, 'config.json'), 'utf8'));
      const helper = join(directory, HELPER);

      assert.deepEqual(at(config, 'credHelpers'), { [registry.host]: 'entratoken' });
      assert.equal(at(config, 'auths', registry.host, 'identitytoken'), staticToken);
      assert.equal(stepEnv.PATH?.split(delimiter)[0], directory);
      assert.equal(statSync(helper).mode & 0o777, 0o700);
      assert.ok(directory.startsWith(result.workspace.tempDirectory), directory);
      assert.ok(
        run.lines.some((line) => line.includes(`the ${HELPER} helper on PATH (${registry.host})`)),
        run.lines.join('\n'),
      );
    });
  });

  describe(`${HELPER} get, as a client runs it`, () => {
    it('answers a live refresh token for the configured registry with the identity-token user', async () => {
      const answer = await runHelper(['get'], stepEnv, `${registry.host}\n`);

      assert.equal(answer.code, 0, answer.stdout);
      assert.deepEqual([at(JSON.parse(answer.stdout), 'ServerURL'), at(JSON.parse(answer.stdout), 'Username')], [registry.host, '<token>']);
      assert.ok(registry.refreshTokens.has(secretOf(answer.stdout)), 'a refresh token the registry issued');
    });

    it('says "credentials not found" for any other registry, so the client goes on without', async () => {
      const answer = await runHelper(['get'], stepEnv, 'https://index.docker.io/v1/\n');

      assert.deepEqual(answer, { code: 1, stdout: 'credentials not found in native keychain\n' });
    });
  });

  describe('a pull after the static refresh token has expired', () => {
    it('fails with the static token alone, and works with the helper, which hands out a newer token', async function () {
      const reason = skopeoMissing();
      if (reason !== undefined) {
        console.log(`      skipped: ${reason}`);
        this.skip();
      }
      const staticExpiry = decodeClaims(staticToken)?.expiresAt?.getTime() ?? 0;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, staticExpiry - Date.now() + 1_500)));
      const config: unknown = JSON.parse(readFileSync(stepEnv.REGISTRY_AUTH_FILE ?? '', 'utf8'));
      const staticOnly = join(testTempDir('entra-helper-static-'), 'auth.json');
      writeFileSync(staticOnly, JSON.stringify({ auths: at(config, 'auths') }));
      const image = `docker://${registry.host}/contoso/app:1.0`;
      const inspect = ['inspect', '--tls-verify=true', '--cert-dir', certDirectory, image];

      const withStatic = await runTool('skopeo', inspect, { ...stepEnv, REGISTRY_AUTH_FILE: staticOnly }, certDirectory);
      const withHelper = await runTool('skopeo', inspect, stepEnv, certDirectory);

      assert.notEqual(withStatic.code, 0, withStatic.output);
      assert.equal(withHelper.code, 0, withHelper.output);
      const used = registry.redeemed.at(-1) ?? '';
      assert.notEqual(used, staticToken);
      assert.ok((decodeClaims(used)?.expiresAt?.getTime() ?? 0) > Date.now(), 'the helper handed out a live token');
    });
  });

  describe('the post-job step', () => {
    it('stops the service and deletes the config and the helper, leaving no token on disk or in any output', async () => {
      const directory = stepEnv.DOCKER_CONFIG ?? '';
      const { tempDirectory, workingDirectory } = result.workspace;

      const post = await runPostJob(run, tempDirectory, workingDirectory);
      const gone = await runHelper(['get'], stepEnv, registry.host).then(
        () => 'it ran',
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );

      assert.equal(post.exitCode, 0, post.stderr);
      assert.equal(existsSync(join(directory, 'config.json')), false);
      assert.equal(existsSync(join(directory, HELPER)), false);
      assert.match(gone, /ENOENT/, 'no helper is left to run');
      const tokens = [...fixture.cloud.issuedOidcTokens, ...fixture.cloud.issuedAccessTokens, ...registry.refreshTokens];
      assert.deepEqual(filesContaining([tempDirectory, workingDirectory], tokens), []);
      for (const output of [run, post]) assertNoLeaks(output, { jobToken: fixture.cloud.jobToken, tokens });
    });
  });
});
