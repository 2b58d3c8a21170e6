// Configures every requested tool for the rest of the job: registers derived secrets first, then writes files
// (0600, under Agent.TempDirectory), then sets variables, and records the files for the post-job cleanup.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { messages } from '../common/messages';
import type { SecretRegistry } from '../common/secrets';
import { requestedTools, type ToolTargets } from './registry';
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

/** The token a tool gets: undefined scope means the main scope; `label` names it in the log. */
export type ToolTokens = (scope: string | undefined) => { readonly token: string; readonly label: string };

function readOptionalFile(path: string | undefined): string | undefined {
  if (!path) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

export interface ToolPlan {
  readonly configuration: ToolConfiguration;
  /** One entry per configured tool: its variable names and the token it got. */
  readonly report: readonly string[];
}

export function planTools(targets: ToolTargets, tokens: ToolTokens, host: ToolHost, directory: () => string, gitCredentialHelper?: string): ToolPlan {
  const plans = requestedTools(targets).map((module) => {
    const { token, label } = tokens(module.scope);
    const configuration = module.plan(targets, { token, getSensitiveVariable: (name) => host.getSensitiveVariable(name), readOptionalFile, directory, gitCredentialHelper });
    const names = module.configured(targets, configuration);
    return { configuration, line: names.length > 0 ? `${names.join(', ')} (${label})` : '' };
  });
  return { configuration: mergeConfigurations(plans.map((plan) => plan.configuration)), report: plans.map((plan) => plan.line).filter((line) => line !== '') };
}

export function applyTools(targets: ToolTargets, tokens: ToolTokens, host: ToolHost, secrets: SecretRegistry, gitCredentialHelper?: string): void {
  const tempDirectory = host.getVariable('Agent.TempDirectory') ?? process.cwd();
  let made: string | undefined;
  const directory = () => (made ??= mkdtempSync(join(tempDirectory, 'entratoken-')));
  const { configuration, report } = planTools(targets, tokens, host, directory, gitCredentialHelper);
  for (const secret of configuration.secrets) secrets.register(secret);
  for (const file of configuration.files) writeFileSync(file.path, file.content, { mode: 0o600 });
  if (configuration.files.length > 0) host.setTaskVariable(FILES_TASK_VARIABLE, JSON.stringify(configuration.files.map((file) => file.path)));
  for (const variable of configuration.variables) host.setVariable(variable.name, variable.value, { secret: false, isOutput: false });
  if (report.length > 0) host.info(messages.toolsConfigured(report.join('; ')));
}
