// Configures every requested tool for the rest of the job: registers derived secrets first, then writes files
// (0600, under Agent.TempDirectory), then sets variables, and records the files for the post-job cleanup.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { messages } from '../common/messages';
import type { SecretRegistry } from '../common/secrets';
import { configureEnvironment } from './environment';
import { configureGit } from './git';
import { configureNpm, NPM_VARIABLE } from './npm';
import { configureNuget, NUGET_VARIABLE } from './nuget';
import { configurePip } from './pip';
import type { ToolTargets } from './targets';
import { mergeConfigurations, type ToolConfiguration } from './tool-configuration';

export const FILES_TASK_VARIABLE = 'EntraToken.Files';

export interface ToolHost {
  /** Reads what an earlier step set, without echoing it (it may hold other secrets). */
  getSensitiveVariable(name: string): string | undefined;
  getVariable(name: string): string | undefined;
  setVariable(name: string, value: string, options: { secret: boolean; isOutput: boolean }): void;
  setTaskVariable(name: string, value: string): void;
  info(message: string): void;
}

function readOptionalFile(path: string | undefined): string | undefined {
  if (!path) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

export function planTools(targets: ToolTargets, token: string, host: ToolHost, directory: () => string, gitCredentialHelper?: string): ToolConfiguration {
  const npmDirectory = targets.npmRegistries.length > 0 ? directory() : '';
  return mergeConfigurations([
    configureNuget(targets.nugetFeeds, token, host.getSensitiveVariable(NUGET_VARIABLE)),
    configureNpm(targets.npmRegistries, token, readOptionalFile(host.getSensitiveVariable(NPM_VARIABLE)), npmDirectory),
    configurePip(targets.pipIndexes, token, host.getSensitiveVariable('PIP_EXTRA_INDEX_URL'), targets.pipReplaceIndex),
    configureGit(targets.gitOrganizations, token, host.getSensitiveVariable('GIT_CONFIG_COUNT'), gitCredentialHelper),
    configureEnvironment(targets.environmentVariables, token),
  ]);
}

export function applyTools(targets: ToolTargets, token: string, host: ToolHost, secrets: SecretRegistry, gitCredentialHelper?: string): void {
  const tempDirectory = host.getVariable('Agent.TempDirectory') ?? process.cwd();
  const configuration = planTools(targets, token, host, () => mkdtempSync(join(tempDirectory, 'entratoken-')), gitCredentialHelper);
  for (const secret of configuration.secrets) secrets.register(secret);
  // mode 0o600 protects the token on Linux and macOS only: Windows ignores it, and the file inherits the ACL of
  // Agent.TempDirectory (the agent's account), which is why these files live there and the post-job step deletes them.
  for (const file of configuration.files) writeFileSync(file.path, file.content, { mode: 0o600 });
  if (configuration.files.length > 0) host.setTaskVariable(FILES_TASK_VARIABLE, JSON.stringify(configuration.files.map((file) => file.path)));
  for (const variable of configuration.variables) host.setVariable(variable.name, variable.value, { secret: false, isOutput: false });
  const names = configuration.variables.map((variable) => variable.name).filter((name) => !name.startsWith('GIT_CONFIG_'));
  if (targets.gitOrganizations.length > 0) names.push('GIT_CONFIG_*');
  if (names.length > 0) host.info(messages.toolsConfigured(names.join(', ')));
}
