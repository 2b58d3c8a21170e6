import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { getBearerHandler, WebApi } from 'azure-devops-node-api';
import { startFakeCloud, type FakeCloud } from '../fake-cloud';
import { BUNDLE, failure, runTask, variables, type TaskRun } from './agent';
import { assertNoLeaks } from './leaks';
import { createScenario, createWorkspace, endpointFor, environmentFor, filesContaining, type Identity, type Scenario, type Workspace } from './scenario';

const AZURE_DEVOPS_AUDIENCE = '499b84ac-1321-427f-aa17-267ca6975798';

describe('EntraToken end to end', function () {
  let cloud: FakeCloud;
  let scenario: Scenario;

  before(async () => {
    assert.ok(existsSync(BUNDLE), `build the task first (npm run build): ${BUNDLE} is missing`);
    cloud = await startFakeCloud();
    scenario = createScenario(cloud);
  });
  after(async () => {
    await cloud.close();
  });

  function checkNoLeaks(run: TaskRun, workspace: Workspace): void {
    const tokens = [...cloud.issuedOidcTokens, ...cloud.issuedAccessTokens];
    assertNoLeaks(run, { jobToken: cloud.jobToken, tokens });
    assert.deepEqual(filesContaining(Object.values(workspace), [cloud.jobToken, ...tokens]), []);
  }

  function requestsSince(start: number, path: RegExp): number {
    return cloud.requests.slice(start).filter((request) => path.test(request.path)).length;
  }

  async function assertAcceptedByAzureDevOps(token: string, identity: Identity): Promise<void> {
    const connection = await new WebApi(cloud.collectionUri.replace(/\/$/, ''), getBearerHandler(token), { cert: { caFile: cloud.caFile } }).connect();
    assert.equal(connection.authenticatedUser?.id, identity.app.objectId);
  }

  function assertExported(run: TaskRun, identity: Identity, variableName: string): string {
    assert.equal(run.exitCode, 0, `the task failed: ${failure(run) ?? run.stderr}`);
    const exported = variables(run);
    const token = exported.get(variableName);
    assert.ok(token?.secret, `${variableName} is exported as a secret`);
    assert.equal(token.value, cloud.issuedAccessTokens.at(-1));
    assert.deepEqual(exported.get('output:accessToken'), { value: token.value, secret: true, isOutput: true });
    assert.equal(exported.get('output:tenantId')?.value, identity.app.tenantId);
    assert.equal(exported.get('output:clientId')?.value, identity.app.clientId);
    const claims = cloud.verifyAccessToken(token.value);
    assert.ok(claims, 'the fake cloud verifies the exported token');
    assert.equal(claims.appid, identity.app.clientId);
    // @azure/identity computes expiry from expires_in on its own clock: allow a few seconds of drift.
    const expiresOn = Date.parse(exported.get('output:expiresOn')?.value ?? '');
    assert.ok(Math.abs(expiresOn - claims.exp * 1000) <= 5000, `expiresOn ${String(expiresOn)} vs exp ${String(claims.exp)}`);
    return token.value;
  }

  describe('an Azure DevOps connection with the legacy vstoken issuer', () => {
    it('exports an Azure DevOps token that Azure DevOps accepts, after one OIDC request', async () => {
      const workspace = createWorkspace();
      const start = cloud.requests.length;
      const env = environmentFor(cloud, workspace, {
        inputs: { connectionType: 'azureDevOps', azureDevOpsServiceConnection: scenario.devops.connection.id },
        endpoints: [endpointFor(scenario.devops)],
        extra: { AZURE_AUTHORITY_HOST: cloud.url },
      });

      const run = await runTask(env, workspace.workingDirectory);

      const token = assertExported(run, scenario.devops, 'EntraAccessToken');
      assert.equal(cloud.verifyAccessToken(token)?.aud, AZURE_DEVOPS_AUDIENCE);
      assert.equal(requestsSince(start, /oidctoken$/), 1);
      assert.ok(run.lines.some((line) => line.includes(`issuer '${cloud.issuerFor(scenario.devops.connection)}'`)));
      await assertAcceptedByAzureDevOps(token, scenario.devops);
      checkNoLeaks(run, workspace);
    });
  });

  describe('an ARM connection with the Entra issuer and its own authority', () => {
    it('exports the token under the chosen variable name for the requested resource', async () => {
      const workspace = createWorkspace();
      const env = environmentFor(cloud, workspace, {
        inputs: { connectionType: 'azureRM', azureSubscription: scenario.arm.connection.id, variableName: 'ArmToken', scope: 'https://graph.microsoft.com' },
        endpoints: [endpointFor(scenario.arm, { environment: 'AzureCloud', activeDirectoryAuthority: `${cloud.url}/` })],
      });

      const run = await runTask(env, workspace.workingDirectory);

      const token = assertExported(run, scenario.arm, 'ArmToken');
      assert.equal(cloud.verifyAccessToken(token)?.aud, 'https://graph.microsoft.com');
      checkNoLeaks(run, workspace);
    });
  });

  describe('a connection whose app has no matching federated credential', () => {
    it('fails with the exact issuer and subject to register', async () => {
      const workspace = createWorkspace();
      const wrong = { ...scenario.devops, connection: { ...scenario.devops.connection, id: randomUUID(), name: 'Other-Name' } };
      cloud.addConnection(wrong.connection);
      const env = environmentFor(cloud, workspace, {
        inputs: { azureDevOpsServiceConnection: wrong.connection.id },
        endpoints: [endpointFor(wrong)],
        extra: { AZURE_AUTHORITY_HOST: cloud.url },
      });

      const run = await runTask(env, workspace.workingDirectory);

      assert.equal(run.exitCode, 1);
      const message = failure(run) ?? '';
      assert.match(message, /AADSTS700213/);
      assert.ok(message.includes(`issuer '${cloud.issuerFor(wrong.connection)}'`), message);
      assert.ok(message.includes(`subject '${cloud.subjectFor(wrong.connection)}'`), message);
      assert.ok(message.includes(scenario.devops.app.clientId));
      checkNoLeaks(run, workspace);
    });
  });

  describe('a missing connection input', () => {
    it('fails before any request with a message that names the input', async () => {
      const workspace = createWorkspace();
      const start = cloud.requests.length;
      const env = environmentFor(cloud, workspace, { inputs: { connectionType: 'azureRM' }, endpoints: [] });

      const run = await runTask(env, workspace.workingDirectory);

      assert.equal(run.exitCode, 1);
      assert.match(failure(run) ?? '', /Input 'azureSubscription' is required when connectionType is 'azureRM'/);
      assert.equal(cloud.requests.length, start);
      checkNoLeaks(run, workspace);
    });
  });
});
