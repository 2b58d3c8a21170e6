// The federated token file that every Azure SDK's WorkloadIdentityCredential (and kubelogin, azd, Terraform)
// reads through AZURE_FEDERATED_TOKEN_FILE. A reader must never see half a token, so each assertion is written to
// a fresh file beside it and renamed over it.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The file's name is ours alone, so the post-job step deletes only such a file, wherever the record points. */
export const TOKEN_FILE_NAME = /^entratoken-federated-[0-9a-f]{16}\.jwt$/;

export function tokenFileName(): string {
  return `entratoken-federated-${randomBytes(8).toString('hex')}.jwt`;
}

export function isTokenFilePath(path: string): boolean {
  return TOKEN_FILE_NAME.test(basename(path));
}

const RENAME_ATTEMPTS = 5;
const RENAME_PAUSE_MS = 100;

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Windows refuses to replace a file another process holds open without delete sharing: try again shortly. */
async function renameOver(from: string, to: string): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await rename(from, to);
      return;
    } catch (error) {
      const code = error instanceof Error && 'code' in error ? error.code : undefined;
      if (attempt >= RENAME_ATTEMPTS || (code !== 'EPERM' && code !== 'EBUSY' && code !== 'EACCES')) throw error;
      await pause(RENAME_PAUSE_MS * attempt);
    }
  }
}

/** mode 0600 where the OS has modes; on Windows the file inherits Agent.TempDirectory's ACL (the agent's account). */
export async function writeTokenFile(path: string, assertion: string): Promise<void> {
  const partial = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.partial`);
  try {
    await writeFile(partial, assertion, { mode: 0o600, flag: 'wx' });
    await renameOver(partial, path);
  } finally {
    await rm(partial, { force: true });
  }
}

export function removeTokenFile(path: string): void {
  rmSync(path, { force: true });
}
