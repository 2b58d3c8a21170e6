// The two success paths the bench times: the public-cloud authority reached through a CONNECT proxy that routes
// login.microsoftonline.com to the fake, and a custom authority (AZURE_AUTHORITY_HOST) reached directly.
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { startConnectProxy, startFakeCloud, type ConnectProxy, type FakeCloud } from '../../tests/fake-cloud';
import { createScenario, createWorkspace, endpointFor, environmentFor, type Scenario } from '../../tests/e2e/scenario';

export interface BenchPath {
  readonly title: string;
  /** The most requests one token may cost on this path (the target). */
  readonly maxRequests: number;
  /** A fresh agent environment and working directory for one run; call cleanup afterwards. */
  prepare(): { env: Record<string, string>; cwd: string; cleanup: () => void };
}

export interface BenchCloud {
  readonly cloud: FakeCloud;
  readonly paths: readonly BenchPath[];
  close(): Promise<void>;
}

function pathFor(cloud: FakeCloud, scenario: Scenario, title: string, maxRequests: number, extra: Record<string, string>): BenchPath {
  return {
    title,
    maxRequests,
    prepare: () => {
      const workspace = createWorkspace();
      const env = environmentFor(cloud, workspace, {
        inputs: { azureDevOpsServiceConnection: scenario.devops.connection.id },
        endpoints: [endpointFor(scenario.devops)],
        extra,
      });
      return {
        env,
        cwd: workspace.workingDirectory,
        // Nothing a run leaves behind may reach the next one: no cache survives between runs.
        cleanup: () => {
          rmSync(dirname(workspace.tempDirectory), { recursive: true, force: true });
        },
      };
    },
  };
}

export async function startBenchCloud(): Promise<BenchCloud> {
  const cloud = await startFakeCloud();
  const scenario = createScenario(cloud);
  let proxy: ConnectProxy | undefined;
  try {
    proxy = await startConnectProxy({ routes: { 'login.microsoftonline.com:443': new URL(cloud.url).host } });
  } catch (error) {
    await cloud.close();
    throw error;
  }
  const routed = proxy;
  return {
    cloud,
    paths: [
      pathFor(cloud, scenario, 'public cloud (login.microsoftonline.com via HTTPS_PROXY)', 2, { HTTPS_PROXY: routed.url }),
      pathFor(cloud, scenario, 'custom authority (AZURE_AUTHORITY_HOST, direct)', 3, { AZURE_AUTHORITY_HOST: cloud.url }),
    ],
    close: async () => {
      await routed.close();
      await cloud.close();
    },
  };
}
