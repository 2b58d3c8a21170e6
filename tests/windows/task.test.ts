import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { failure, variables } from '../e2e/agent';
import { endpointFor } from '../e2e/scenario';
import { enterWindowsLane, WindowsFixture } from './lane';

const AZURE_DEVOPS = '499b84ac-1321-427f-aa17-267ca6975798';

describe('Windows lane (node.exe under Wine): EntraToken exports a token', function () {
  this.timeout(180_000);
  let lane: WindowsFixture;
  let started = false;

  before(async function () {
    lane = await WindowsFixture.start(enterWindowsLane(this));
    started = true;
  });
  after(async () => {
    if (started) await lane.close();
  });

  it('with an Azure DevOps connection: a secret Azure DevOps token the fake cloud verifies', async () => {
    const { devops } = lane.fixture.scenario;

    const { run } = await lane.run({ inputs: { connectionType: 'azureDevOps', azureDevOpsServiceConnection: devops.connection.id } });

    assert.equal(run.exitCode, 0, failure(run) ?? run.stderr);
    const token = variables(run).get('EntraAccessToken');
    assert.ok(token?.secret);
    assert.equal(lane.fixture.cloud.verifyAccessToken(token.value)?.aud, AZURE_DEVOPS);
    assert.equal(lane.fixture.cloud.verifyAccessToken(token.value)?.appid, devops.app.clientId);
    assert.equal(variables(run).get('output:clientId')?.value, devops.app.clientId);
  });

  it('with an ARM connection and another scope: a Graph token, expiresOn set', async () => {
    const { arm } = lane.fixture.scenario;

    const { run } = await lane.run({
      inputs: {
        connectionType: 'azureRM',
        azureSubscription: arm.connection.id,
        scope: 'https://graph.microsoft.com',
        variableName: 'GraphToken',
      },
      endpoints: [endpointFor(arm, { environment: 'AzureCloud', activeDirectoryAuthority: lane.fixture.cloud.url })],
    });

    assert.equal(run.exitCode, 0, failure(run) ?? run.stderr);
    const token = variables(run).get('GraphToken');
    assert.equal(lane.fixture.cloud.verifyAccessToken(token?.value ?? '')?.aud, 'https://graph.microsoft.com');
    assert.ok(Number.isFinite(Date.parse(variables(run).get('output:expiresOn')?.value ?? '')));
  });

  it('a refusal ends with one failure line that names the fix', async () => {
    const app = { ...lane.fixture.scenario.devops.app, clientId: randomUUID(), disabled: true };
    lane.fixture.cloud.addApp(app);

    const { run } = await lane.run({ endpoints: [endpointFor({ connection: lane.fixture.scenario.devops.connection, app })] });

    assert.equal(run.exitCode, 1);
    assert.match(failure(run) ?? '', new RegExp(`App '${app.clientId}' is disabled.*AADSTS7000112.*Enabled for users to sign in`));
    assert.equal(run.commands.filter((c) => c.area === 'task.complete').length, 1);
  });
});
