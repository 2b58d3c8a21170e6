// Configures every requested tool for the rest of the job: registers derived secrets first, then writes files
// (0600, under Agent.TempDirectory), then sets variables, and records the files for the post-job cleanup.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { messages } from '../common/messages';
import type { SecretRegistry } from '../common/secrets';
import type { HttpSender } from '../http/sender';
import { requestedTools, type ToolTargets } from './registry';
import { mergeConfigurations, type ToolConfiguration } from './tool-configuration';
import type { CredentialHelpers } from './tool-module';

export const FILES_TASK_VARIABLE = 'EntraToken.Files';

export interface ToolHost {
  /** Reads what an earlier step set, without echoing it (it may hold other secrets). */
  getSensitiveVariable(name: string): string | undefined;
  getVariable(name: string): string | undefined;
  setVariable(name: string, value: string, options: { secret: boolean; isOutput: boolean }): void;
  setTaskVariable(name: string, value: string): void;
  prependPath(path: string): void;
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

/** What modules may use besides their token: requests to a tool's service, and the secret registry. */
export interface ToolServices {
  readonly send: HttpSender;
  readonly secrets: SecretRegistry;
  readonly tenantId: string;
  /** Only when the token service runs. */
  readonly credentialHelpers?: CredentialHelpers | undefined;
}

export async function planTools(
  targets: ToolTargets,
  tokens: ToolTokens,
  host: ToolHost,
  directory: () => string,
  services: ToolServices,
): Promise<ToolPlan> {
  const plans = [];
  for (const module of requestedTools(targets)) {
    const { token, label } = tokens(module.scope);
    const context = {
      ...services,
      token,
      getSensitiveVariable: (name: string) => host.getSensitiveVariable(name),
      readOptionalFile,
      directory,
      gitCredentialHelper: services.credentialHelpers?.git,
      dockerCredentialHelper: services.credentialHelpers?.docker,
    };
    const configuration = await module.plan(targets, context);
    const names = module.configured(targets, configuration);
    plans.push({ configuration, line: names.length > 0 ? `${names.join(', ')} (${label})` : '' });
  }
  return {
    configuration: mergeConfigurations(plans.map((plan) => plan.configuration)),
    report: plans.map((plan) => plan.line).filter((line) => line !== ''),
  };
}

export async function applyTools(targets: ToolTargets, tokens: ToolTokens, host: ToolHost, services: ToolServices): Promise<void> {
  const { secrets } = services;
  const tempDirectory = host.getVariable('Agent.TempDirectory') ?? process.cwd();
  let made: string | undefined;
  const directory = () => (made ??= mkdtempSync(join(tempDirectory, 'entratoken-')));
  const { configuration, report } = await planTools(targets, tokens, host, directory, services);
  for (const secret of configuration.secrets) secrets.register(secret);
  // mode 0o600 protects the token on Linux and macOS only: Windows ignores it, and the file inherits the ACL of
  // Agent.TempDirectory (the agent's account), which is why these files live there and the post-job step deletes them.
  for (const file of configuration.files) writeFileSync(file.path, file.content, { mode: file.executable === true ? 0o700 : 0o600 });
  if (configuration.files.length > 0)
    host.setTaskVariable(FILES_TASK_VARIABLE, JSON.stringify(configuration.files.map((file) => file.path)));
  for (const variable of configuration.variables) host.setVariable(variable.name, variable.value, { secret: false, isOutput: false });
  for (const path of configuration.paths ?? []) host.prependPath(path);
  if (report.length > 0) host.info(messages.toolsConfigured(report.join('; ')));
}
