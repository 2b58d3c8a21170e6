// terraformVariables: the opt-in azurerm/azuread variables, pointing at the token service's federated token file.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { failure, runPostJob, variables } from './agent';
import { Fixture } from './fixture';
import { endpointFor } from './scenario';

const SUBSCRIPTION = '0b5c6d7e-8f90-4a1b-9c2d-3e4f5a6b7c8d';

describe('EntraToken terraformVariables, end to end', function () {
  this.timeout(60_000);
  let fixture: Fixture;

  before(async () => {
    fixture = await Fixture.start();
  });
  after(async () => {
    await fixture.close();
  });

  it("exports the ARM_* variables with the ARM connection's subscription, next to a current token file", async () => {
    const endpoint = endpointFor(fixture.scenario.arm, { subscriptionId: SUBSCRIPTION });

    const { run, workspace } = await fixture.run({
      inputs: { connectionType: 'azureRM', azureSubscription: endpoint.id, tokenService: 'true', terraformVariables: 'true' },
      endpoints: [endpoint],
      expectToolFiles: true,
    });
    const exported = variables(run);
    const value = (name: string) => exported.get(name)?.value;
    const fileContent = readFileSync(value('ARM_OIDC_TOKEN_FILE_PATH') ?? '', 'utf8');
    const post = await runPostJob(run, workspace.tempDirectory, workspace.workingDirectory);

    assert.equal(run.exitCode, 0, failure(run));
    assert.equal(value('ARM_USE_OIDC'), 'true');
    assert.equal(value('ARM_OIDC_TOKEN_FILE_PATH'), value('AZURE_FEDERATED_TOKEN_FILE'));
    assert.equal(value('ARM_CLIENT_ID'), fixture.scenario.arm.app.clientId);
    assert.equal(value('ARM_TENANT_ID'), fixture.scenario.arm.app.tenantId);
    assert.equal(value('ARM_SUBSCRIPTION_ID'), SUBSCRIPTION);
    // The fake's authority is no known cloud, so Terraform is left to its default rather than told a wrong one.
    assert.equal(value('ARM_ENVIRONMENT'), undefined);
    assert.ok(fixture.cloud.issuedOidcTokens.includes(fileContent));
    assert.equal(post.exitCode, 0, post.stderr);
    fixture.assertNoTokenFiles(workspace);
  });

  it('refuses terraformVariables without the token service in one line, before any request', async () => {
    const requestsBefore = fixture.cloud.requests.length;

    const { run } = await fixture.run({
      inputs: { azureDevOpsServiceConnection: fixture.scenario.devops.connection.id, terraformVariables: 'true' },
    });

    assert.equal(run.exitCode, 1);
    assert.match(failure(run) ?? '', /^Input 'terraformVariables' needs the token service.*Set 'tokenService' to true/);
    assert.equal(fixture.cloud.requests.length, requestsBefore);
    assert.equal(variables(run).size, 0);
  });
});
