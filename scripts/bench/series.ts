// Times one path: warm-up pairs first (page cache, the fake cloud's own JIT), then pairs of `node -e 0` and the
// task, alternating which goes first, each in a fresh workspace.
import { BUNDLE, failure, parseCommand, variables, type TaskRun } from '../../tests/e2e/agent';
import type { RequestRecord } from '../../tests/fake-cloud';
import type { BenchCloud, BenchPath } from './scenarios';
import { timedSpawn, type Measured } from './timed-spawn';

export interface PairSample {
  readonly baseline: Measured;
  readonly task: Measured;
  /** Requests the fake cloud answered during the task run, and the access tokens it issued. */
  readonly requests: readonly RequestRecord[];
  readonly tokens: number;
}

function asTaskRun(measured: Measured): TaskRun {
  const lines = `${measured.stdout}\n${measured.stderr}`.split(/\r?\n/).filter((line) => line !== '');
  const commands = lines.flatMap((text, index) => parseCommand(text, index) ?? []);
  return { exitCode: measured.exitCode, lines, commands, stderr: measured.stderr };
}

function assertSucceeded(path: BenchPath, measured: Measured): void {
  const run = asTaskRun(measured);
  if (run.exitCode === 0 && variables(run).get('EntraAccessToken')?.secret === true) return;
  throw new Error(`The task did not succeed on the ${path.title} path: ${failure(run) ?? run.lines.join('\n')}`);
}

async function runPair(bench: BenchCloud, path: BenchPath, taskFirst: boolean): Promise<PairSample> {
  const { env, cwd, cleanup } = path.prepare();
  try {
    const baselineRun = (): Promise<Measured> => timedSpawn(['-e', '0'], env, cwd);
    const before = { requests: bench.cloud.requests.length, tokens: bench.cloud.issuedAccessTokens.length };
    const first = taskFirst ? await timedSpawn([BUNDLE], env, cwd) : await baselineRun();
    const second = taskFirst ? await baselineRun() : await timedSpawn([BUNDLE], env, cwd);
    const task = taskFirst ? first : second;
    assertSucceeded(path, task);
    return {
      baseline: taskFirst ? second : first,
      task,
      requests: bench.cloud.requests.slice(before.requests),
      tokens: bench.cloud.issuedAccessTokens.length - before.tokens,
    };
  } finally {
    cleanup();
  }
}

export async function runSeries(bench: BenchCloud, path: BenchPath, warmups: number, pairs: number): Promise<PairSample[]> {
  for (let index = 0; index < warmups; index += 1) await runPair(bench, path, index % 2 === 1);
  const samples: PairSample[] = [];
  for (let index = 0; index < pairs; index += 1) samples.push(await runPair(bench, path, index % 2 === 1));
  return samples;
}
