// What every Windows-lane test file shares: skip with a printed reason when Wine is missing, one fake cloud,
// one stand-in agent, and task runs under it that get the same leak scan as the Linux e2e tests.
import type { EndpointSpec, TaskRun } from '../e2e/agent';
import { Fixture } from '../e2e/fixture';
import { endpointFor } from '../e2e/scenario';
import { createWindowsJob, StandInAgent, windowsAgentEnvironment, type WindowsJob } from './windows-agent';
import { startWine, stopWine, wineMissing, type Wine } from './wine';

/** Starts Wine for this test file, or skips the file with a printed reason. */
export function enterWindowsLane(context: Mocha.Context): Wine {
  const missing = wineMissing();
  if (missing !== undefined) {
    console.log(`      Windows lane skipped: ${missing}`);
    context.skip();
  }
  return startWine();
}

export interface WindowsRunOptions {
  readonly inputs?: Record<string, string>;
  readonly endpoints?: EndpointSpec[];
  readonly extra?: Record<string, string>;
  /** Tool adapters leave files with the token until the post-job step; the test checks those itself. */
  readonly expectToolFiles?: boolean;
  /** Another stand-in agent than the lane's own (one the test kills). */
  readonly agent?: StandInAgent;
}

export interface WindowsRun {
  readonly run: TaskRun;
  readonly job: WindowsJob;
  readonly env: Record<string, string>;
}

export class WindowsFixture {
  private constructor(
    readonly wine: Wine,
    readonly fixture: Fixture,
    readonly agent: StandInAgent,
  ) {}

  static async start(wine: Wine, options?: Parameters<typeof Fixture.start>[0]): Promise<WindowsFixture> {
    const fixture = await Fixture.start(options);
    return new WindowsFixture(wine, fixture, await StandInAgent.start(wine));
  }

  environment(job: WindowsJob, options: WindowsRunOptions = {}): Record<string, string> {
    const { cloud, scenario } = this.fixture;
    return windowsAgentEnvironment(job, {
      oidcRequestUri: cloud.oidcRequestUri,
      collectionUri: cloud.collectionUri,
      jobToken: cloud.jobToken,
      caFile: cloud.caFile,
      endpoints: options.endpoints ?? [endpointFor(scenario.devops)],
      inputs: options.inputs ?? { azureDevOpsServiceConnection: scenario.devops.connection.id },
      extra: { AZURE_AUTHORITY_HOST: cloud.url, ...options.extra },
    });
  }

  /** Runs the task in a fresh job folder and applies the e2e leak scan to its output (and files). */
  async run(options: WindowsRunOptions = {}): Promise<WindowsRun> {
    const job = createWindowsJob(this.wine);
    const env = this.environment(job, options);
    const run = await (options.agent ?? this.agent).runTask(job, env);
    this.fixture.cloud.clearFaults();
    this.checkNoLeaks(run, job, options.expectToolFiles !== true);
    return { run, job, env };
  }

  checkNoLeaks(run: TaskRun, job: WindowsJob, checkFiles = true): void {
    this.fixture.checkNoLeaks(
      { run, workspace: { tempDirectory: job.linuxFolders[0] ?? '', workingDirectory: job.linuxFolders[1] ?? '' }, requests: [], ms: 0 },
      checkFiles,
    );
  }

  assertNoTokenFiles(job: WindowsJob): void {
    this.fixture.assertNoTokenFiles({ tempDirectory: job.linuxFolders[0] ?? '', workingDirectory: job.linuxFolders[1] ?? '' });
  }

  async close(): Promise<void> {
    await this.agent.stop();
    await this.fixture.close();
  }
}

/** Mocha root hook for the lane (loaded with --require): the prefix's wineserver ends with the run. */
export const mochaHooks = { afterAll: stopWine };
