// One fake cloud per test file, and a one-call way to run the bundled task against it with an agent-shaped
// environment, then check the run for leaks in its output and its files.
import assert from 'node:assert/strict';
import { startFakeCloud, type FakeCloudOptions, type FakeCloud, type RequestRecord } from '../fake-cloud';
import { runTask, type EndpointSpec, type TaskRun } from './agent';
import { assertNoLeaks } from './leaks';
import { createScenario, createWorkspace, endpointFor, environmentFor, filesContaining, type Scenario, type Workspace } from './scenario';

export interface FixtureRun {
  readonly run: TaskRun;
  readonly workspace: Workspace;
  /** Requests the fake cloud received during this run. */
  readonly requests: readonly RequestRecord[];
  readonly ms: number;
}

export interface RunOptions {
  readonly inputs?: Record<string, string>;
  readonly endpoints?: EndpointSpec[];
  readonly extra?: Record<string, string>;
  /** Tool adapters write the token into files that the post-job step deletes; the test checks those itself. */
  readonly expectToolFiles?: boolean;
}

/** Fast limits so that retry and timeout tests take a second, not a minute. */
export const FAST_RETRIES = { ENTRATOKEN_MAX_RETRIES: '2', ENTRATOKEN_RETRY_DELAY_MS: '50' };

export class Fixture {
  private constructor(
    readonly cloud: FakeCloud,
    readonly scenario: Scenario,
  ) {}

  static async start(options?: FakeCloudOptions): Promise<Fixture> {
    const cloud = await startFakeCloud(options);
    return new Fixture(cloud, createScenario(cloud));
  }

  /** The agent environment for one run, with the Azure DevOps connection unless the options say otherwise. */
  prepare(options: RunOptions = {}): { env: Record<string, string>; workspace: Workspace } {
    const workspace = createWorkspace();
    const env = environmentFor(this.cloud, workspace, {
      inputs: options.inputs ?? { azureDevOpsServiceConnection: this.scenario.devops.connection.id },
      endpoints: options.endpoints ?? [endpointFor(this.scenario.devops)],
      // Debug mode by default: the leak scan then also covers every debug line the task and task-lib print.
      extra: { AZURE_AUTHORITY_HOST: this.cloud.url, SYSTEM_DEBUG: 'true', ...options.extra },
    });
    return { env, workspace };
  }

  async run(options: RunOptions = {}): Promise<FixtureRun> {
    const { env, workspace } = this.prepare(options);
    const first = this.cloud.requests.length;
    const started = Date.now();
    const run = await runTask(env, workspace.workingDirectory);
    this.cloud.clearFaults();
    const result = { run, workspace, requests: this.cloud.requests.slice(first), ms: Date.now() - started };
    this.checkNoLeaks(result, options.expectToolFiles !== true);
    return result;
  }

  checkNoLeaks({ run, workspace }: FixtureRun, checkFiles = true): void {
    assertNoLeaks(run, { jobToken: this.cloud.jobToken, tokens: this.tokens() });
    if (checkFiles) this.assertNoTokenFiles(workspace);
  }

  assertNoTokenFiles(workspace: Workspace): void {
    assert.deepEqual(this.tokenFiles(workspace), [], 'a token was written to a file');
  }

  /** Every file in the workspace that holds a token this cloud issued, or the job token. */
  tokenFiles(workspace: Workspace): string[] {
    return filesContaining(Object.values(workspace), [this.cloud.jobToken, ...this.tokens()]);
  }

  private tokens(): string[] {
    return [...this.cloud.issuedOidcTokens, ...this.cloud.issuedAccessTokens];
  }

  close(): Promise<void> {
    return this.cloud.close();
  }
}

export function countRequests(requests: readonly RequestRecord[], path: RegExp): number {
  return requests.filter((request) => path.test(request.path)).length;
}

export const OIDC_PATH = /\/oidctoken$/;
export const TOKEN_PATH = /\/oauth2\/v2\.0\/token$/;
