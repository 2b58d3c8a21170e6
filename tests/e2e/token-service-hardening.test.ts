import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testTempDir } from '../temp';
import { runTool } from './tool-env';
import { ARM, GRAPH, ServiceJob, field, get } from './service-job';

describe('EntraToken token service under faults and misuse, end to end', function () {
  this.timeout(120_000);
  let job: ServiceJob;

  before(async () => {
    job = await ServiceJob.start();
  });
  after(async () => {
    await job.close();
  });

  describe('upstream requests per mint', () => {
    it('makes two requests per mint after the first (OIDC and token), never openid-configuration again', async () => {
      await job.tokenFor(GRAPH);
      const before = job.fixture.cloud.requests.length;
      const issuedBefore = job.fixture.cloud.issuedAccessTokens.length;

      for (let i = 0; i < 4; i += 1) assert.equal((await job.tokenFor(GRAPH)).status, 200);

      const mints = job.fixture.cloud.issuedAccessTokens.length - issuedBefore;
      const requests = job.fixture.cloud.requests.slice(before);
      assert.equal(mints, 4, '90-second tokens are always inside the refresh window');
      assert.equal(requests.length, 2 * mints, requests.map((r) => r.path).join(', '));
      assert.equal(requests.filter((r) => r.path.endsWith('openid-configuration')).length, 0);
    });
  });

  describe('a refresh that fails or hangs', () => {
    const sameToken = (a: string, b: string) => field(a, 'access_token') === field(b, 'access_token');

    async function timed(scope: string): Promise<{ status: number; body: string; ms: number }> {
      const started = Date.now();
      const answer = await job.tokenFor(scope);
      return { ...answer, ms: Date.now() - started };
    }

    it('serves the cached token (more than a minute left) within a few seconds while Entra answers 503', async () => {
      const cached = await job.tokenFor(ARM);
      assert.equal(cached.status, 200, cached.body);

      job.fixture.cloud.inject('token', { status: 503, times: Infinity });
      const answers = [await timed(`${ARM}/`), await timed(ARM), await timed(ARM)];
      job.fixture.cloud.clearFaults();

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
        recovered = !sameToken((await job.tokenFor(ARM)).body, cached.body);
      }
      assert.ok(recovered, 'the service minted again after the outage');
    });

    it('serves the cached token within a few seconds while the token request hangs', async () => {
      const cached = await job.tokenFor('');
      assert.equal(cached.status, 200, cached.body);

      job.fixture.cloud.inject('token', { status: 503, delayMs: 15_000 });
      const answer = await timed('');
      job.fixture.cloud.clearFaults();

      assert.equal(answer.status, 200, answer.body);
      assert.ok(sameToken(answer.body, cached.body));
      assert.ok(answer.ms < 5_000, `the caller waited ${String(answer.ms)} ms`);
    });
  });

  describe('refresh=true', () => {
    it('reuses a token minted in the last 30 s however often a script asks', async () => {
      const fresh = await job.tokenFor(GRAPH);
      const issuedBefore = job.fixture.cloud.issuedAccessTokens.length;

      const burst = await Promise.all(Array.from({ length: 10 }, () => job.tokenFor(GRAPH, '&refresh=true')));

      assert.ok(burst.every((answer) => answer.status === 200 && field(answer.body, 'access_token') === field(fresh.body, 'access_token')));
      assert.equal(job.fixture.cloud.issuedAccessTokens.length, issuedBefore);
    });
  });

  describe('identity parameters and the Host header', () => {
    it("serves the connection's own client id, refuses another with 400, and refuses a rebound Host with 421", async () => {
      const endpoint = job.env.IDENTITY_ENDPOINT ?? '';
      const header = { 'X-IDENTITY-HEADER': job.env.IDENTITY_HEADER ?? '' };
      const query = `api-version=2019-08-01&resource=${encodeURIComponent(GRAPH)}`;

      const own = await get(`${endpoint}?${query}&client_id=${job.fixture.scenario.devops.app.clientId}`, header);
      const other = await get(`${endpoint}?${query}&client_id=${job.fixture.scenario.arm.app.clientId}`, header);
      const rebound = await get(`${endpoint}?${query}`, { ...header, Host: `attacker.example:${new URL(endpoint).port}` });
      const health = await get(endpoint.replace('/msi/token', '/health'), {});

      assert.equal(own.status, 200, own.body);
      assert.equal(other.status, 400);
      assert.match(String(field(other.body, 'message')), new RegExp(job.fixture.scenario.devops.app.clientId));
      assert.equal(rebound.status, 421);
      assert.deepEqual(JSON.parse(health.body), { status: 'ok' });
    });
  });

  describe('git with a stale global credential helper', () => {
    it('clones through the token service although a global helper answers wrong credentials first', async () => {
      const home = job.env.HOME ?? '';
      writeFileSync(
        join(home, '.gitconfig'),
        '[credential]\n\thelper = "!f() { echo username=stale; echo password=wrong-password; }; f"\n',
      );
      try {
        const clone = await runTool(
          'git',
          ['clone', job.git.repoUrl('app'), join(testTempDir('entra-svc-stale-'), 'app')],
          job.env,
          job.workspace.workingDirectory,
        );

        assert.equal(clone.code, 0, clone.output);
      } finally {
        rmSync(join(home, '.gitconfig'), { force: true });
      }
    });
  });

  describe('the process the agent cleans up', () => {
    it("carries the job's VSTS_PROCESS_LOOKUP_ID, so the agent's orphan cleanup finds it", function () {
      if (process.platform !== 'linux') this.skip();
      const environ = readFileSync(`/proc/${String(job.record.pid)}/environ`, 'utf8').split('\0');

      assert.ok(environ.includes(`VSTS_PROCESS_LOOKUP_ID=${job.lookupId}`));
    });
  });
});
