// Plain environment variables for tools that read a token from one (RENOVATE_TOKEN, AZURE_DEVOPS_EXT_PAT, …).
import type { ToolConfiguration } from './tool-configuration';
import { variableNames, type ToolModule } from './tool-module';

export function configureEnvironment(names: readonly string[], token: string): ToolConfiguration {
  return { variables: names.map((name) => ({ name, value: token })), files: [], secrets: [] };
}

export interface EnvironmentTargets {
  readonly environmentVariables: readonly string[];
}

export const environmentTool: ToolModule<EnvironmentTargets> = {
  name: 'environment',
  inputs: ['environmentVariables'],
  scope: undefined,
  parse: (reader) => ({ environmentVariables: reader.variableNames('environmentVariables') }),
  isEmpty: (targets) => targets.environmentVariables.length === 0,
  plan: (targets, context) => configureEnvironment(targets.environmentVariables, context.token),
  configured: (_targets, configuration) => variableNames(configuration),
};
