// Plain environment variables for tools that read a token from one (RENOVATE_TOKEN, AZURE_DEVOPS_EXT_PAT, …).
import type { ToolConfiguration } from './tool-configuration';

export function configureEnvironment(names: readonly string[], token: string): ToolConfiguration {
  return { variables: names.map((name) => ({ name, value: token })), files: [], secrets: [] };
}
