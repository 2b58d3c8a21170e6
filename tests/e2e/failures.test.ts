import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { failure, variables } from './agent';
import { countRequests, FAST_RETRIES, Fixture, OIDC_PATH, TOKEN_PATH } from './fixture';
import { endpointFor } from './scenario';

describe('EntraToken failures and recoveries, end to end', () => {
  let fixture: Fixture;

  before(async () => {
    fixture = await Fixture.start();
  });
  after(async () => {
    await fixture.close();
  });

  describe('throttling with Retry-After', () => {
    it('waits as told, retries once and succeeds', async () => {
      fixture.cloud.inject('token', { status: 429, headers: { 'Retry-After': '1' }, body: '{"error":"temporarily_unavailable"}' });

      const { run, requests, ms } = await fixture.run({ extra: FAST_RETRIES });

      assert.equal(run.exitCode, 0, failure(run));
      assert.equal(countRequests(requests, TOKEN_PATH), 2);
      assert.ok(ms >= 1000, `the retry waited only ${String(ms)} ms`);
      const warnings = run.commands.filter((c) => c.area === 'task.issue' && c.properties.type === 'warning');
      // Entra's host, not Azure DevOps': the fake serves them on different ports.
      assert.ok(
        warnings.some((c) => c.message === `127.0.0.1:${String(fixture.cloud.port)}: HTTP 429 (attempt 1 of 3); retrying.`),
        'the retry is reported as a warning',
      );
    });

    it('fails at once when Retry-After would outlast the task', async () => {
      fixture.cloud.inject('token', { status: 429, headers: { 'Retry-After': '600' }, body: '{}' });

      const { run, requests, ms } = await fixture.run({ extra: FAST_RETRIES });

      assert.equal(run.exitCode, 1);
      assert.match(failure(run) ?? '', /answered HTTP 429 and asked to retry after 600 seconds.*ENTRATOKEN_TIMEOUT_MS/);
      assert.equal(countRequests(requests, TOKEN_PATH), 1);
      assert.ok(ms < 10_000, `took ${String(ms)} ms`);
    });
  });

  describe('server errors', () => {
    it('names the Azure DevOps host when the OIDC route keeps dropping the connection', async () => {
      fixture.cloud.inject('oidc', { status: 0, times: 10 });

      const { run } = await fixture.run({ extra: FAST_RETRIES });

      assert.equal(run.exitCode, 1);
      assert.match(
        failure(run) ?? '',
        new RegExp(`^Could not reach 127\\.0\\.0\\.1:${String(fixture.cloud.devOpsPort)} to request an OIDC token`),
      );
    });

    it('retries the OIDC request after two 503s and succeeds', async () => {
      fixture.cloud.inject('oidc', { status: 503, body: '{}', times: 2 });

      const { run, requests } = await fixture.run({ extra: FAST_RETRIES });

      assert.equal(run.exitCode, 0, failure(run));
      assert.equal(countRequests(requests, OIDC_PATH), 3);
    });

    it('gives up on Entra after the configured retries with a message that says so', async () => {
      fixture.cloud.inject('token', { status: 500, body: '{"error":"server_error"}', times: 10 });

      const { run, requests, ms } = await fixture.run({ extra: FAST_RETRIES });

      assert.equal(run.exitCode, 1);
      assert.match(failure(run) ?? '', /did not issue a token \(last attempt: HTTP 500, after 3 attempts\)/);
      assert.equal(countRequests(requests, TOKEN_PATH), 3);
      assert.ok(ms < 10_000, `took ${String(ms)} ms`);
    });
  });

  describe('a slow authority', () => {
    it('times out each attempt and fails well before the job would', async () => {
      fixture.cloud.inject('token', { status: 200, body: '{}', delayMs: 4000, times: 3 });

      const { run, ms } = await fixture.run({
        extra: { ...FAST_RETRIES, ENTRATOKEN_MAX_RETRIES: '1', ENTRATOKEN_REQUEST_TIMEOUT_MS: '300', SYSTEM_DEBUG: 'true' },
      });

      assert.equal(run.exitCode, 1);
      assert.match(
        failure(run) ?? '',
        new RegExp(
          `Could not reach 127\\.0\\.0\\.1:${String(fixture.cloud.port)} to get a token from Microsoft Entra ID: last attempt: no answer within 300 ms, after 2 attempts`,
        ),
      );
      // The fake records a delayed request only when it answers, after the task has gone: count the task's own attempts.
      const attempts = run.commands.filter((c) => c.area === 'task.debug' && /^HTTP POST \S+\/oauth2\/v2\.0\/token -> /.test(c.message));
      assert.equal(attempts.length, 2);
      assert.ok(ms < 4000, `took ${String(ms)} ms`);
    });
  });

  describe('a token endpoint that answers with no token', () => {
    const bodies: [string, string][] = [
      ['HTML instead of JSON', '<html>maintenance</html>'],
      ['JSON without access_token', '{"token_type":"Bearer"}'],
    ];
    for (const [name, body] of bodies) {
      it(name, async () => {
        fixture.cloud.inject('token', { status: 200, body, times: 10 });

        const { run } = await fixture.run({ extra: FAST_RETRIES });

        assert.equal(run.exitCode, 1);
        assert.match(failure(run) ?? '', /^Microsoft Entra ID at 127\.0\.0\.1:\d+ did not issue a token/);
      });
    }
  });

  describe('Azure DevOps refusals', () => {
    it('explains a stage that does not reference the connection, without retrying', async () => {
      const id = fixture.scenario.devops.connection.id;
      fixture.cloud.inject('oidc', {
        status: 400,
        body: JSON.stringify({
          count: 1,
          value: `There is no explicit reference to service connection ${id} from current stage Build.Job.__default.`,
        }),
      });

      const { run, requests } = await fixture.run({ extra: FAST_RETRIES });

      assert.equal(run.exitCode, 1);
      assert.match(failure(run) ?? '', /because the current stage does not reference it.*Reference the connection in this stage/);
      assert.equal(countRequests(requests, OIDC_PATH), 1);
    });

    it('explains a rejected job token', async () => {
      const { run, requests } = await fixture.run({
        extra: {
          ...FAST_RETRIES,
          ENDPOINT_AUTH_SYSTEMVSSCONNECTION: JSON.stringify({ scheme: 'OAuth', parameters: { AccessToken: 'expired-job-token' } }),
        },
      });

      assert.equal(run.exitCode, 1);
      assert.match(failure(run) ?? '', /rejected the job's access token.*HTTP 401/);
      assert.equal(countRequests(requests, OIDC_PATH), 1);
      assert.ok(run.lines.every((line) => !line.includes('expired-job-token')));
    });
  });

  describe('Entra refusals', () => {
    it('explains a disabled app', async () => {
      const app = { ...fixture.scenario.devops.app, clientId: randomUUID(), disabled: true };
      fixture.cloud.addApp(app);

      const { run } = await fixture.run({ endpoints: [endpointFor({ connection: fixture.scenario.devops.connection, app })] });

      assert.equal(run.exitCode, 1);
      assert.match(failure(run) ?? '', new RegExp(`App '${app.clientId}' is disabled.*AADSTS7000112.*Enabled for users to sign in`));
    });
  });

  describe('the 2026 failure modes', () => {
    const CORRELATION = '11111111-2222-3333-4444-555555555555';
    const entraBody = (code: number, text: string) =>
      JSON.stringify({
        error: 'invalid_request',
        error_description: `AADSTS${String(code)}: ${text}\r\nTrace ID: 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0\r\nCorrelation ID: ${CORRELATION}\r\nTimestamp: 2026-12-02 18:20:05Z`,
        error_codes: [code],
      });

    it('retries an unreachable issuer (AADSTS50166) and succeeds', async () => {
      fixture.cloud.inject('token', { status: 400, body: entraBody(50166, 'Request to External OIDC endpoint failed.'), times: 2 });

      const { run, requests } = await fixture.run({ extra: FAST_RETRIES });

      assert.equal(run.exitCode, 0, failure(run));
      const warnings = run.commands.filter((c) => c.area === 'task.issue' && c.properties.type === 'warning');
      assert.equal(
        warnings.filter((c) => c.message.includes('AADSTS50166, the OIDC issuer was unreachable')).length,
        2,
        run.lines.join('\n'),
      );
      // Three exchanges; the SDK may resend one on a dropped keep-alive socket, so this is a bound.
      assert.ok(countRequests(requests, TOKEN_PATH) >= 3, run.lines.join('\n'));
    });

    it('explains an issuer that stays unreachable (AADSTS90061), with the ids support asks for', async () => {
      fixture.cloud.inject('token', { status: 400, body: entraBody(90061, 'Request to External OIDC endpoint failed.'), times: 10 });

      const { run } = await fixture.run({ extra: FAST_RETRIES });

      assert.equal(run.exitCode, 1);
      assert.match(
        failure(run) ?? '',
        new RegExp(
          `could not reach the OIDC token's issuer 'https://vstoken[^']+' to check it \\(AADSTS90061\\), even after retries.*Correlation ID ${CORRELATION}, Timestamp 2026-12-02 18:20:05Z\\.$`,
        ),
      );
    });

    it('names Conditional Access for AADSTS53003, without retrying', async () => {
      fixture.cloud.inject('token', {
        status: 400,
        body: entraBody(53003, 'Access has been blocked by Conditional Access policies.'),
        times: 10,
      });

      const { run } = await fixture.run({ extra: FAST_RETRIES });

      assert.equal(run.exitCode, 1);
      assert.match(
        failure(run) ?? '',
        /^A Conditional Access policy in tenant '[^']+' blocked app '[^']+' \(AADSTS53003\)\. Ask an administrator/,
      );
      assert.ok(
        run.commands.every((c) => !c.message.includes('retrying')),
        'AADSTS53003 was retried',
      );
    });

    it('names a disabled service connection', async () => {
      const id = fixture.scenario.devops.connection.id;
      fixture.cloud.inject('oidc', {
        status: 400,
        body: JSON.stringify({ message: `Service connection ${id} is disabled.`, typeKey: 'InvalidRequestException' }),
      });

      const { run } = await fixture.run({ extra: FAST_RETRIES });

      assert.equal(run.exitCode, 1);
      assert.match(
        failure(run) ?? '',
        new RegExp(`^Service connection '${id}' is disabled .*enable it again in Project settings > Service connections`),
      );
    });
  });

  describe('verifyAccess', () => {
    it('prints the identity and sets identityId when the principal is a user of the organization', async () => {
      const { run } = await fixture.run({
        inputs: {
          azureDevOpsServiceConnection: fixture.scenario.devops.connection.id,
          verifyAccess: 'true',
          organizationUrl: fixture.cloud.collectionUri,
        },
      });

      assert.equal(run.exitCode, 0, failure(run));
      assert.equal(variables(run).get('output:identityId')?.value, fixture.scenario.devops.app.objectId);
      assert.ok(run.lines.some((line) => line.includes(`as '${fixture.scenario.devops.app.displayName}'`)));
    });

    it('tells the user to add the principal to the organization when it is not a member', async () => {
      const app = { ...fixture.scenario.devops.app, clientId: randomUUID(), organizationMember: false };
      fixture.cloud.addApp(app);

      const { run } = await fixture.run({
        inputs: {
          azureDevOpsServiceConnection: fixture.scenario.devops.connection.id,
          verifyAccess: 'true',
          organizationUrl: fixture.cloud.collectionUri,
        },
        endpoints: [endpointFor({ connection: fixture.scenario.devops.connection, app })],
      });

      assert.equal(run.exitCode, 1);
      assert.match(
        failure(run) ?? '',
        new RegExp(`Add the service principal '${app.clientId}' as a user in ${fixture.cloud.collectionUri}`),
      );
    });

    const verifyMessages: [string, string, RegExp][] = [
      [
        'TF401444',
        'TF401444: Please sign-in at least once as 1c0a0d1e-0000-0000-0000-000000000000 in a web browser to enable access to the service.',
        /does not know the service principal '[^']+' \(TF401444\)\. Add it as a user in/,
      ],
      [
        'VS800075',
        "VS800075: The project with id 'vstfs:///Classification/TeamProject/x' does not exist, or you do not have permission to access it.",
        /is a user of .* but not of the project the call names \(VS800075\)\. Add it to that project/,
      ],
    ];
    for (const [code, message, expected] of verifyMessages) {
      it(`names the membership to add when Azure DevOps answers ${code}`, async () => {
        fixture.cloud.inject('connectionData', {
          status: 401,
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ $id: '1', message, typeKey: 'UnauthorizedRequestException' }),
        });

        const { run } = await fixture.run({
          inputs: {
            azureDevOpsServiceConnection: fixture.scenario.devops.connection.id,
            verifyAccess: 'true',
            organizationUrl: fixture.cloud.collectionUri,
          },
          extra: FAST_RETRIES,
        });

        assert.equal(run.exitCode, 1);
        assert.match(failure(run) ?? '', expected);
      });
    }

    it('treats a 203 sign-in page from Azure DevOps as a missing membership', async () => {
      fixture.cloud.inject('connectionData', {
        status: 203,
        headers: { 'Content-Type': 'text/html' },
        body: '<html><body>Sign in</body></html>',
      });

      const { run } = await fixture.run({
        inputs: {
          azureDevOpsServiceConnection: fixture.scenario.devops.connection.id,
          verifyAccess: 'true',
          organizationUrl: fixture.cloud.collectionUri,
        },
      });

      assert.equal(run.exitCode, 1);
      assert.match(
        failure(run) ?? '',
        new RegExp(
          `did not accept the token \\(it answered HTTP 203, a sign-in page\\)\\. Add the service principal '${fixture.scenario.devops.app.clientId}'`,
        ),
      );
    });
  });

  describe('debug mode', () => {
    it('prints the request sequence without bodies, and still leaks nothing', async () => {
      const { run } = await fixture.run({ extra: { SYSTEM_DEBUG: 'true' } });

      assert.equal(run.exitCode, 0, failure(run));
      const sequence = run.commands
        .filter((c) => c.area === 'task.debug' && c.message.startsWith('HTTP '))
        .map((c) => c.message.replace(/ in \d+ ms$/, ''));
      assert.deepEqual(
        sequence.map((line) => line.replace(/https:\/\/[^/]+/, 'https://host').replace(/\/[0-9a-f-]{36}/g, '/{id}')),
        [
          'HTTP POST https://host/contoso/{id}/_apis/distributedtask/hubs/build/plans/{id}/jobs/{id}/oidctoken -> HTTP 200',
          'HTTP GET https://host/{id}/v2.0/.well-known/openid-configuration -> HTTP 200',
          'HTTP POST https://host/{id}/oauth2/v2.0/token -> HTTP 200',
        ],
      );
    });
  });
});

describe('EntraToken with an expiring OIDC token, end to end', () => {
  it('explains AADSTS700024 as a clock problem', async () => {
    const fixture = await Fixture.start({ oidcLifetimeSeconds: -60 });
    try {
      const { run } = await fixture.run();

      assert.equal(run.exitCode, 1);
      assert.match(failure(run) ?? '', /expired or not yet valid \(AADSTS700024\).*clock/);
    } finally {
      await fixture.close();
    }
  });
});
