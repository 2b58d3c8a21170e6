// The Linux side of the Windows lane: starts the stand-in agent under Wine, hands it steps through files, and
// turns what a step printed into the same TaskRun the Linux e2e tests parse. Also builds the environment a
// Windows agent gives a task: C:\ paths, Agent.OS=Windows_NT, the agent's own node.exe and task folder.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, openSync, readFileSync, renameSync, writeFileSync, closeSync, mkdirSync } from 'node:fs';
import { join, win32 } from 'node:path';
import { testTempDir } from '../temp';
import { agentEnvironment, assertNoRuntimeWarnings, BUNDLE, taskRunFrom, type EndpointSpec, type TaskRun } from '../e2e/agent';
import { numberField, parseJson, stringField } from '../../tasks/EntraToken/v1/src/common/json';
import { cDrive, linuxPath, windowsPath, type Wine } from './wine';

const STAND_IN = join(__dirname, 'stand-in-agent.js');

export interface StepResult {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => T | undefined): Promise<T> {
  for (let waited = 0; waited < timeoutMs; waited += 100) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the stand-in agent: no ${what} within ${String(timeoutMs / 1000)} s`);
}

/** One Windows agent job: its folders under C:\agents\Build Agent $1\_work, and the task installed in _tasks. */
export interface WindowsJob {
  readonly wine: Wine;
  /** Agent.TempDirectory, as the task sees it (C:\…) */
  readonly tempDirectory: string;
  /** The step's working directory (Build.SourcesDirectory), as the task sees it. */
  readonly workingDirectory: string;
  /** The task's bundle in the agent's task folder (a path with spaces and a `$`). */
  readonly bundle: string;
  /** The Linux paths of those folders, for the leak scan. */
  readonly linuxFolders: readonly string[];
}

let jobs = 0;

export function createWindowsJob(wine: Wine): WindowsJob {
  jobs += 1;
  const work = win32.join(wine.agentRoot, `_work${String(jobs)}`);
  const tempDirectory = win32.join(work, '_temp');
  const workingDirectory = win32.join(work, '1', 's');
  const taskFolder = win32.join(work, '_tasks', `EntraToken_${randomUUID()}`, '1.0.0');
  cpSync(join(BUNDLE, '..'), cDrive(wine.prefix, win32.join(taskFolder, 'dist')), { recursive: true });
  return {
    wine,
    tempDirectory,
    workingDirectory,
    bundle: win32.join(taskFolder, 'dist', 'index.js'),
    linuxFolders: [cDrive(wine.prefix, tempDirectory), cDrive(wine.prefix, workingDirectory)],
  };
}

/** What a Windows agent sets for a Node task, on top of the job token and the connection. */
export function windowsAgentEnvironment(
  job: WindowsJob,
  options: {
    readonly oidcRequestUri?: string;
    readonly collectionUri: string;
    readonly jobToken?: string;
    readonly caFile: string;
    readonly endpoints: readonly EndpointSpec[];
    readonly inputs: Readonly<Record<string, string>>;
    readonly extra?: Readonly<Record<string, string>>;
  },
): Record<string, string> {
  const { endpoints, inputs, collectionUri } = options;
  const base = agentEnvironment({
    tempDirectory: job.tempDirectory,
    collectionUri,
    endpoints,
    inputs,
    ...(options.oidcRequestUri === undefined ? {} : { oidcRequestUri: options.oidcRequestUri }),
    ...(options.jobToken === undefined ? {} : { jobToken: options.jobToken }),
  });
  return {
    ...base,
    PATH: 'C:\\windows\\system32;C:\\windows;C:\\windows\\system32\\wbem',
    AGENT_OS: 'Windows_NT',
    AGENT_OSARCHITECTURE: 'X64',
    AGENT_HOMEDIRECTORY: job.wine.agentRoot,
    AGENT_WORKFOLDER: win32.join(job.tempDirectory, '..'),
    BUILD_SOURCESDIRECTORY: job.workingDirectory,
    SYSTEM_DEFAULTWORKINGDIRECTORY: job.workingDirectory,
    VSTS_PROCESS_LOOKUP_ID: `vsts_${randomUUID()}`,
    NODE_EXTRA_CA_CERTS: windowsPath(options.caFile),
    SYSTEM_DEBUG: 'true',
    ...options.extra,
  };
}

/** The Windows stand-in agent process under Wine. */
export class StandInAgent {
  private steps = 0;

  private constructor(
    private readonly child: ChildProcess,
    private readonly folder: string,
    /** The stand-in's Windows pid and the ppid it saw (0: started from Linux). */
    readonly pid: number,
  ) {}

  static async start(wine: Wine): Promise<StandInAgent> {
    const folder = testTempDir('entra-wine-job-');
    const log = openSync(join(folder, 'agent.log'), 'w');
    const child = spawn('wine', [wine.nodeExe, windowsPath(STAND_IN), windowsPath(folder)], {
      env: { ...wine.environment },
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    const ready = await waitFor('ready.json', 60_000, () => {
      if (child.exitCode !== null)
        throw new Error(`the stand-in agent exited with ${String(child.exitCode)}: ${readFileSync(join(folder, 'agent.log'), 'utf8')}`);
      return existsSync(join(folder, 'ready.json')) ? readFileSync(join(folder, 'ready.json'), 'utf8') : undefined;
    });
    return new StandInAgent(child, folder, numberField(parseJson(ready), 'pid') ?? 0);
  }

  /** Runs node.exe with these arguments as the agent's child, and waits for it to exit. */
  async step(args: readonly string[], env: Readonly<Record<string, string>>, cwd: string, stdinText?: string): Promise<StepResult> {
    const index = this.steps++;
    const stdin = stdinText === undefined ? {} : { stdin: windowsPath(join(this.folder, `step-${String(index)}.in`)) };
    if (stdinText !== undefined) writeFileSync(join(this.folder, `step-${String(index)}.in`), stdinText);
    const file = join(this.folder, `step-${String(index)}.json`);
    writeFileSync(`${file}.partial`, JSON.stringify({ args, env, cwd, ...stdin }));
    renameSync(`${file}.partial`, file);
    const result = await waitFor(`result of step ${String(index)}`, 120_000, () => {
      const path = join(this.folder, `step-${String(index)}.result.json`);
      return existsSync(path) ? parseJson(readFileSync(path, 'utf8')) : undefined;
    });
    const error = stringField(result, 'error');
    if (error !== undefined) throw new Error(`the stand-in agent could not start step ${String(index)}: ${error}`);
    const read = (suffix: string) => readFileSync(join(this.folder, `step-${String(index)}.${suffix}`), 'utf8');
    return { exitCode: numberField(result, 'exitCode') ?? null, stdout: read('out'), stderr: read('err') };
  }

  /** Runs a bundle of the task (index.js or post.js) as a step, like the agent's Node handler. */
  async runTask(job: WindowsJob, env: Readonly<Record<string, string>>, bundle = job.bundle): Promise<TaskRun> {
    mkdirSync(linuxPath(job.wine.prefix, job.workingDirectory), { recursive: true });
    const result = await this.step([bundle], env, job.workingDirectory);
    const run = taskRunFrom(result.exitCode, result.stdout, result.stderr);
    assertNoRuntimeWarnings(run, 'node.exe under Wine');
    return run;
  }

  /** Ends the job the way the agent does, after its last step. */
  async stop(): Promise<void> {
    writeFileSync(join(this.folder, 'stop'), '');
    await waitFor('exit after stop', 30_000, () => (this.child.exitCode === null ? undefined : true));
  }

  /** The agent killed: no post-job step runs. */
  kill(): void {
    this.child.kill('SIGKILL');
  }
}
