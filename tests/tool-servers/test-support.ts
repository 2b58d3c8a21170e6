// Helpers for the tool-server tests: temp dirs, a random token, and running a
// real CLI asynchronously (the servers answer on this same event loop, so a
// synchronous spawn would deadlock) in an environment built from scratch.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createTestCertificates } from '../fake-cloud';
import type { TestCertificates } from '../fake-cloud';
import { testTempDir } from '../temp';

export interface ToolResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const MAX_OUTPUT = 1024 * 1024;

/** A fresh random token, so no literal credential sits in the repository. */
export function randomToken(): string {
  return randomBytes(18).toString('base64url');
}

/** Authorization must be exactly `<scheme> <token>`; the scheme compares case-insensitively (git's extraheader sends 'bearer'). */
export function accepts(scheme: 'Bearer' | 'Basic', credential: string): (header: string | undefined) => boolean {
  return (header) => {
    const [given, value, extra] = (header ?? '').split(' ');
    return given?.toLowerCase() === scheme.toLowerCase() && value === credential && extra === undefined;
  };
}

/** Nothing inherited: no proxies, CA bundles, tool config or credentials from the machine leak in. */
export function baseEnvironment(home: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8' };
}

export interface RunOptions {
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** Written to stdin; stdin is empty otherwise. */
  input?: string;
  timeoutMs?: number;
}

export function runTool(command: string, args: readonly string[], options: RunOptions): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.on('error', () => {
      /* the tool may exit without reading its input */
    });
    child.stdin.end(options.input ?? '');
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      if (stdout.length < MAX_OUTPUT) stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < MAX_OUTPUT) stderr += chunk.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A temp dir with test certificates in it; `remove` deletes everything. */
export class Scratch {
  // Made on first use: describe bodies run even when --grep skips every test (and the after hook).
  private rootDir: string | undefined;
  private counter = 0;
  private certs: TestCertificates | undefined;

  get root(): string {
    this.rootDir ??= testTempDir('tool-servers-');
    return this.rootDir;
  }

  get certificates(): TestCertificates {
    this.certs ??= createTestCertificates(join(this.root, 'certs'));
    return this.certs;
  }

  /** A new empty directory under the root. */
  dir(label: string): string {
    this.counter += 1;
    return mkdtempSync(join(this.root, `${label}-${this.counter}-`));
  }

  remove(): void {
    if (this.rootDir !== undefined) rmSync(this.rootDir, { recursive: true, force: true });
    this.rootDir = undefined;
    this.certs = undefined;
  }
}
