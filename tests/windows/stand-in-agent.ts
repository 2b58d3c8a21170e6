// The stand-in agent of the Windows lane, run by the Windows node.exe under Wine. Like the agent, it is a
// long-lived Windows process that runs the job's steps one after another as its own children, so the task sees
// a Windows parent pid (a node.exe started from Linux sees 0). It talks to the Linux side through files only
// (a Unix pipe as a node.exe's stdio crashes it): the test writes step-<n>.json into the job folder, the agent
// runs it with stdout and stderr going to step-<n>.out / .err, and writes step-<n>.result.json. A file named
// `stop` ends it. Node built-ins only: this file runs outside the test process.
import { spawn } from 'node:child_process';
import { existsSync, openSync, readFileSync, renameSync, writeFileSync, closeSync } from 'node:fs';
import { join } from 'node:path';

interface Step {
  readonly args: string[];
  readonly env: Record<string, string>;
  readonly cwd: string;
  readonly stdin?: string;
}

const jobFolder = process.argv[2] ?? '.';

function writeAtomically(name: string, value: unknown): void {
  const path = join(jobFolder, name);
  writeFileSync(`${path}.partial`, JSON.stringify(value));
  renameSync(`${path}.partial`, path);
}

function parseStep(text: string): Step {
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null) throw new Error('a step must be an object');
  const args: unknown = Reflect.get(value, 'args');
  const env: unknown = Reflect.get(value, 'env');
  const cwd: unknown = Reflect.get(value, 'cwd');
  const stdin: unknown = Reflect.get(value, 'stdin');
  if (!Array.isArray(args) || !args.every((arg): arg is string => typeof arg === 'string')) throw new Error('args must be strings');
  if (typeof env !== 'object' || env === null || typeof cwd !== 'string') throw new Error('env and cwd are required');
  const environment = Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  return typeof stdin === 'string' ? { args, env: environment, cwd, stdin } : { args, env: environment, cwd };
}

function runStep(index: number, step: Step): Promise<void> {
  const stdin = step.stdin === undefined ? 'ignore' : openSync(step.stdin, 'r');
  const stdout = openSync(join(jobFolder, `step-${String(index)}.out`), 'w');
  const stderr = openSync(join(jobFolder, `step-${String(index)}.err`), 'w');
  return new Promise((resolve) => {
    // The agent runs a Node task with its own node.exe, the step's environment only, and no console window.
    const child = spawn(process.execPath, step.args, { env: step.env, cwd: step.cwd, stdio: [stdin, stdout, stderr], windowsHide: true });
    let finished = false;
    const finish = (exitCode: number | null, error?: string): void => {
      if (finished) return;
      finished = true;
      for (const fd of [stdin, stdout, stderr]) if (typeof fd === 'number') closeSync(fd);
      writeAtomically(`step-${String(index)}.result.json`, { exitCode, error, pid: child.pid });
      resolve();
    };
    child.once('error', (error) => {
      finish(null, error.message);
    });
    child.once('exit', (code) => {
      finish(code);
    });
  });
}

async function main(): Promise<void> {
  writeAtomically('ready.json', { pid: process.pid, ppid: process.ppid });
  for (let index = 0; !existsSync(join(jobFolder, 'stop'));) {
    const stepFile = join(jobFolder, `step-${String(index)}.json`);
    if (existsSync(stepFile)) {
      await runStep(index, parseStep(readFileSync(stepFile, 'utf8')));
      index += 1;
    } else {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

void main();
