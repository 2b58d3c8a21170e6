import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { getBearerHandler, WebApi } from 'azure-devops-node-api';
import { BUNDLE, failure, variables, type TaskRun } from './agent';
import { countRequests, Fixture, OIDC_PATH } from './fixture';
import { endpointFor, type Identity } from './scenario';
import { startConnectProxy } from '../fake-cloud';

const AZURE_DEVOPS_AUDIENCE = '499b84ac-1321-427f-aa17-267ca6975798';

describe('EntraToken end to end', () => {
  let fixture: Fixture;

  before(async () => {
    assert.ok(existsSync(BUNDLE), `build the task first (npm run build): ${BUNDLE} is missing`);
    fixture = await Fixture.start();
  });
  after(async () => {
    await fixture.close();
  });

  async function assertAcceptedByAzureDevOps(token: string, identity: Identity): Promise<void> {
    const api = new WebApi(fixture.cloud.collectionUri.replace(/\/$/, ''), getBearerHandler(token), {
      cert: { caFile: fixture.cloud.caFile },
    });
    const connection = await api.connect();
    assert.equal(connection.authenticatedUser?.id, identity.app.objectId);
  }

  function assertExported(run: TaskRun, identity: Identity, variableName: string): string {
    assert.equal(run.exitCode, 0, `the task failed: ${failure(run) ?? run.stderr}`);
    const exported = variables(run);
    const token = exported.get(variableName);
    assert.ok(token?.secret, `${variableName} is exported as a secret`);
    assert.equal(token.value, fixture.cloud.issuedAccessTokens.at(-1));
    assert.deepEqual(exported.get('output:accessToken'), { value: token.value, secret: true, isOutput: true });
    assert.equal(exported.get('output:tenantId')?.value, identity.app.tenantId);
    assert.equal(exported.get('output:clientId')?.value, identity.app.clientId);
    const claims = fixture.cloud.verifyAccessToken(token.value);
    assert.ok(claims, 'the fake cloud verifies the exported token');
    assert.equal(claims.appid, identity.app.clientId);
    // @azure/identity computes expiry from expires_in on its own clock: allow a few seconds of drift.
    const expiresOn = Date.parse(exported.get('output:expiresOn')?.value ?? '');
    assert.ok(Math.abs(expiresOn - claims.exp * 1000) <= 5000, `expiresOn ${String(expiresOn)} vs exp ${String(claims.exp)}`);
    return token.value;
  }

  describe('an Azure DevOps connection with the legacy vstoken issuer', () => {
    it('exports an Azure DevOps token that Azure DevOps accepts, after one OIDC request', async () => {
      const { devops } = fixture.scenario;

      const { run, requests } = await fixture.run({
        inputs: { connectionType: 'azureDevOps', azureDevOpsServiceConnection: devops.connection.id },
      });

      const token = assertExported(run, devops, 'EntraAccessToken');
      assert.equal(fixture.cloud.verifyAccessToken(token)?.aud, AZURE_DEVOPS_AUDIENCE);
      assert.equal(countRequests(requests, OIDC_PATH), 1);
      assert.ok(run.lines.some((line) => line.includes(`issuer '${fixture.cloud.issuerFor(devops.connection)}'`)));
      await assertAcceptedByAzureDevOps(token, devops);
    });

    /** A run against the given Entra host, reached through a CONNECT proxy that routes it to the fake cloud. */
    async function runAt(host: string, inputs: Record<string, string> = {}): Promise<TaskRun> {
      const proxy = await startConnectProxy({ routes: { [`${host}:443`]: new URL(fixture.cloud.url).host } });
      try {
        const authority = host === 'login.microsoftonline.com' ? '' : `https://${host}`;
        return (
          await fixture.run({
            inputs: { azureDevOpsServiceConnection: fixture.scenario.devops.connection.id, ...inputs },
            extra: { HTTPS_PROXY: proxy.url, AZURE_AUTHORITY_HOST: authority },
          })
        ).run;
      } finally {
        await proxy.close();
      }
    }
    const legacyWarnings = (run: TaskRun) =>
      run.commands.filter((c) => c.area === 'task.issue' && c.properties.type === 'warning' && c.message.includes('legacy issuer'));

    it('warns, in the public cloud, that the legacy issuer retires on 1 July 2027', async () => {
      const run = await runAt('login.microsoftonline.com');

      assert.equal(run.exitCode, 0, failure(run));
      const warnings = legacyWarnings(run);
      assert.equal(warnings.length, 1);
      assert.match(
        warnings[0]?.message ?? '',
        /legacy issuer 'https:\/\/vstoken\.dev\.azure\.com\/[0-9a-f-]+', which Azure DevOps retires on 1 July 2027\. Convert the service connection/,
      );
    });

    it('does not warn in a sovereign cloud, which keeps the legacy issuer', async () => {
      const run = await runAt('login.microsoftonline.us');

      assert.equal(run.exitCode, 0, failure(run));
      assert.deepEqual(legacyWarnings(run), []);
    });

    it('does not warn for a multi-tenant app (a tenantId override), which keeps the legacy issuer', async () => {
      const run = await runAt('login.microsoftonline.com', { tenantId: fixture.scenario.devops.app.tenantId });

      assert.equal(run.exitCode, 0, failure(run));
      assert.deepEqual(legacyWarnings(run), []);
    });

    it('prints the claims to register on success, without the advice that belongs to failures', async () => {
      const { run } = await fixture.run();

      assert.equal(run.exitCode, 0, failure(run));
      assert.ok(
        run.lines.some((line) =>
          /^OIDC token: issuer '[^']+', subject '[^']+', audience 'api:\/\/AzureADTokenExchange', expires \S+\.$/.test(line),
        ),
        run.lines.join('\n'),
      );
      assert.ok(
        run.lines.every((line) => !/must match|federated credential/i.test(line)),
        'federated-credential advice printed on success',
      );
      assert.ok(run.lines.every((line) => !/removed 0 files/.test(line)));
    });
  });

  describe('an ARM connection with the Entra issuer and its own authority', () => {
    it('exports the token under the chosen variable name for the requested resource, with no legacy warning', async () => {
      const { arm } = fixture.scenario;

      const { run } = await fixture.run({
        inputs: {
          connectionType: 'azureRM',
          azureSubscription: arm.connection.id,
          variableName: 'ArmToken',
          scope: 'https://graph.microsoft.com',
        },
        endpoints: [endpointFor(arm, { environment: 'AzureCloud', activeDirectoryAuthority: `${fixture.cloud.url}/` })],
        extra: { AZURE_AUTHORITY_HOST: '' },
      });

      const token = assertExported(run, arm, 'ArmToken');
      assert.equal(fixture.cloud.verifyAccessToken(token)?.aud, 'https://graph.microsoft.com');
      assert.ok(run.commands.every((c) => c.properties.type !== 'warning'));
    });
  });

  describe('a connection whose app has no matching federated credential', () => {
    it('fails with the exact issuer and subject to register', async () => {
      const { devops } = fixture.scenario;
      const wrong = { ...devops, connection: { ...devops.connection, id: randomUUID(), name: 'Other-Name' } };
      fixture.cloud.addConnection(wrong.connection);

      const { run } = await fixture.run({ inputs: { azureDevOpsServiceConnection: wrong.connection.id }, endpoints: [endpointFor(wrong)] });

      assert.equal(run.exitCode, 1);
      const message = failure(run) ?? '';
      assert.match(message, /AADSTS700213/);
      assert.ok(message.includes(`issuer '${fixture.cloud.issuerFor(wrong.connection)}'`), message);
      assert.ok(message.includes(`subject '${fixture.cloud.subjectFor(wrong.connection)}'`), message);
      assert.ok(message.includes(devops.app.clientId));
    });
  });

  describe('a missing connection input', () => {
    it('fails before any request with a message that names the input', async () => {
      const { run, requests } = await fixture.run({ inputs: { connectionType: 'azureRM' }, endpoints: [] });

      assert.equal(run.exitCode, 1);
      assert.match(failure(run) ?? '', /Input 'azureSubscription' is required when connectionType is 'azureRM'/);
      assert.equal(requests.length, 0);
    });
  });
});
