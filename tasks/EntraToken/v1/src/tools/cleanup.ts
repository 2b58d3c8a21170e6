// The post-job step: deletes the files the main step wrote for tools (the .npmrc), and nothing else.
import { readdirSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { messages } from '../common/messages';
import { FILES_TASK_VARIABLE } from './apply';
import { parseJson, stringArray } from '../common/json';

export interface CleanupHost {
  getTaskVariable(name: string): string | undefined;
  getVariable(name: string): string | undefined;
  info(message: string): void;
  warning(message: string): void;
}

function recordedFiles(host: CleanupHost): string[] {
  const raw = host.getTaskVariable(FILES_TASK_VARIABLE);
  if (!raw) return [];
  return stringArray(parseJson(raw)) ?? [];
}

export function removeToolFiles(host: CleanupHost): number {
  const temp = host.getVariable('Agent.TempDirectory');
  let removed = 0;
  for (const path of recordedFiles(host)) {
    // Only ever delete inside Agent.TempDirectory, whatever the task variable says.
    const inside = temp !== undefined && !relative(resolve(temp), resolve(path)).startsWith('..');
    if (!inside) {
      host.warning(messages.cleanupRefused(path));
      continue;
    }
    rmSync(path, { force: true });
    removed += 1;
    const directory = dirname(path);
    if (resolve(directory) !== resolve(temp) && readdirSync(directory).length === 0) rmdirSync(directory);
  }
  // Nothing to say when the job configured no tool that writes files.
  if (removed > 0) host.info(messages.cleanedUp(removed));
  return removed;
}
