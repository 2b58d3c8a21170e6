// One extra, untimed run with a preload that lists the Node built-ins the task loaded: Node 20's fetch (undici)
// costs ~40 MiB and ~130 ms on first use, so the bench reports whether anything on the success path loaded it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUNDLE } from '../../tests/e2e/agent';
import type { BenchPath } from './scenarios';
import { timedSpawn } from './timed-spawn';

export interface LoadedBuiltins {
  readonly undici: boolean;
  readonly count: number;
}

export async function loadedBuiltins(path: BenchPath): Promise<LoadedBuiltins> {
  const directory = mkdtempSync(join(tmpdir(), 'entra-token-bench-modules-'));
  const list = join(directory, 'modules.txt');
  const preload = join(directory, 'preload.js');
  writeFileSync(
    preload,
    `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(list)}, process.moduleLoadList.join('\\n')));\n`,
  );
  const { env, cwd, cleanup } = path.prepare();
  try {
    const run = await timedSpawn(['-r', preload, BUNDLE], env, cwd);
    if (run.exitCode !== 0) throw new Error(`the module check run failed:\n${run.stdout}\n${run.stderr}`);
    const modules = readFileSync(list, 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('NativeModule '));
    return { undici: modules.some((line) => line.includes('undici')), count: modules.length };
  } finally {
    cleanup();
    rmSync(directory, { recursive: true, force: true });
  }
}
