// `npm start`: runs the bundled task once per connection kind against the built-in loopback cloud and prints
// what a pipeline log would show, with secrets masked as *** the way the agent masks them.
import { getBearerHandler, WebApi } from 'azure-devops-node-api';
import { startFakeCloud } from '../tests/fake-cloud';
import { removeTestTempDirs } from '../tests/temp';
import { failure, renderLog, runTask, variables } from '../tests/e2e/agent';
import { createScenario, createWorkspace, endpointFor, environmentFor, type Identity } from '../tests/e2e/scenario';

async function main(): Promise<void> {
  const debug = process.argv.includes('--debug');
  const cloud = await startFakeCloud();
  const scenario = createScenario(cloud);
  console.log(`Local emulator of Azure DevOps and Microsoft Entra ID at ${cloud.url} (TLS with a CA generated just now).\n`);
  const runs: {
    title: string;
    identity: Identity;
    inputs: Record<string, string>;
    data: Record<string, string>;
    extra: Record<string, string>;
  }[] = [
    {
      title: 'EntraToken@1 with an Azure DevOps service connection (issuer vstoken.dev.azure.com)',
      identity: scenario.devops,
      inputs: { connectionType: 'azureDevOps', azureDevOpsServiceConnection: scenario.devops.connection.id },
      data: {},
      extra: { AZURE_AUTHORITY_HOST: cloud.url },
    },
    {
      title: 'EntraToken@1 with an Azure Resource Manager connection (issuer login.microsoftonline.com)',
      identity: scenario.arm,
      inputs: { connectionType: 'azureRM', azureSubscription: scenario.arm.connection.id },
      data: { environment: 'AzureCloud', activeDirectoryAuthority: cloud.url },
      extra: {},
    },
  ];
  let failed = false;
  try {
    for (const demo of runs) {
      console.log(`=== ${demo.title}`);
      const workspace = createWorkspace();
      const env = environmentFor(cloud, workspace, {
        inputs: demo.inputs,
        endpoints: [endpointFor(demo.identity, demo.data)],
        extra: demo.extra,
      });
      const run = await runTask(env, workspace.workingDirectory);
      for (const line of renderLog(run, { debug })) console.log(`  ${line}`);
      const token = variables(run).get('EntraAccessToken')?.value;
      if (run.exitCode !== 0 || token === undefined) {
        failed = true;
        console.log(`  -> FAILED: ${failure(run) ?? 'no token exported'}\n`);
        continue;
      }
      const api = new WebApi(cloud.collectionUri.replace(/\/$/, ''), getBearerHandler(token), { cert: { caFile: cloud.caFile } });
      const data = await api.connect();
      console.log(`  -> a later step calls ${cloud.collectionUri}_apis/connectionData with $(EntraAccessToken):`);
      console.log(`     authenticated as '${data.authenticatedUser?.providerDisplayName ?? '?'}' (${data.authenticatedUser?.id ?? '?'})\n`);
    }
  } finally {
    await cloud.close();
    removeTestTempDirs();
  }
  console.log(failed ? 'Demo FAILED.' : 'Both connection kinds produced a token that the emulated Azure DevOps accepts.');
  process.exitCode = failed ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
