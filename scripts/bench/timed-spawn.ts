// Spawns one process and measures it from outside: wall time in this process, peak RSS of the child itself via
// GNU time's %M (its own RSS is not counted: time reports the waited-for child's rusage only).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export const GNU_TIME = '/usr/bin/time';

export interface Measured {
  readonly exitCode: number | null;
  readonly wallMs: number;
  /** Peak resident set of the measured process in KiB, or undefined without GNU time. */
  readonly maxRssKiB: number | undefined;
  /** CPU this (bench) process spent while the child ran: the fake cloud and the spawn itself. */
  readonly benchCpuMs: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function hasGnuTime(): boolean {
  return existsSync(GNU_TIME);
}

let scratch: string | undefined;

export function removeScratch(): void {
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
}

function readRss(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  // With -f %M -o, GNU time writes "Command exited with non-zero status N" first on failure; the figure is last.
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const value = Number(lines[lines.length - 1]);
  rmSync(file, { force: true });
  return Number.isFinite(value) ? value : undefined;
}

export function timedSpawn(args: readonly string[], env: Readonly<Record<string, string>>, cwd: string): Promise<Measured> {
  scratch ??= mkdtempSync(join(tmpdir(), 'entra-token-bench-'));
  const rssFile = join(scratch, 'rss');
  const command = hasGnuTime() ? GNU_TIME : process.execPath;
  const commandArgs = hasGnuTime() ? ['-f', '%M', '-o', rssFile, process.execPath, ...args] : [...args];
  return new Promise((resolve, reject) => {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const child = spawn(command, commandArgs, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let wallMs = 0;
    let cpu = process.cpuUsage(cpuBefore);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', () => {
      // Stop the clock at exit, not at 'close': draining the pipes afterwards is the bench's cost, not the task's.
      wallMs = performance.now() - started;
      cpu = process.cpuUsage(cpuBefore);
    });
    child.on('close', (exitCode) => {
      resolve({ exitCode, wallMs, maxRssKiB: readRss(rssFile), benchCpuMs: (cpu.user + cpu.system) / 1000, stdout, stderr });
    });
  });
}
