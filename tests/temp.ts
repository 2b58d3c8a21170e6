// One temporary root per test process, removed when mocha finishes, so test runs leave nothing in /tmp.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let root: string | undefined;

export function testTempDir(prefix: string): string {
  root ??= mkdtempSync(join(tmpdir(), 'entra-token-tests-'));
  return mkdtempSync(join(root, prefix));
}

export function removeTestTempDirs(): void {
  if (root !== undefined) rmSync(root, { recursive: true, force: true });
  root = undefined;
}

/** Mocha root hook (loaded through .mocharc's "require"). */
export const mochaHooks = { afterAll: removeTestTempDirs };
