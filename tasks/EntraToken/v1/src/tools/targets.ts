// Reads the tool inputs: lists of https:// URLs (any host: Azure DevOps Server, custom domains and proxies
// serve feeds too) and environment variable names, one per line.
import { TaskError, messages } from '../common/messages';
import { requireSecureUrl } from '../http/secure-url';

export interface ToolTargets {
  readonly nugetFeeds: readonly string[];
  readonly npmRegistries: readonly string[];
  readonly pipIndexes: readonly string[];
  readonly pipReplaceIndex: boolean;
  readonly gitOrganizations: readonly string[];
  readonly environmentVariables: readonly string[];
}

export const URL_LIST_INPUTS = ['nugetFeeds', 'npmRegistries', 'pipIndexes', 'gitOrganizations'] as const;
type UrlListInput = (typeof URL_LIST_INPUTS)[number];

const RESERVED_ENVIRONMENT = /^(SYSTEM|AGENT|BUILD|RELEASE|ENDPOINT|INPUT|SECRET|VSTS|TF)_|^(PATH|HOME|TEMP|TMP)$/i;

function lines(value: string | undefined): string[] {
  return (value ?? '').split(/\r?\n|,/).map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
}

function parseUrl(input: UrlListInput, line: string): string {
  requireSecureUrl(line, (shown) => messages.invalidToolUrl(input, shown));
  return line;
}

function parseVariableName(line: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(line) || RESERVED_ENVIRONMENT.test(line)) {
    throw new TaskError(messages.invalidEnvironmentVariable(line));
  }
  return line;
}

export function readToolTargets(getInput: (name: string) => string | undefined, pipReplaceIndex: boolean): ToolTargets {
  const urls = (input: UrlListInput) => lines(getInput(input)).map((line) => parseUrl(input, line));
  return {
    nugetFeeds: urls('nugetFeeds'),
    npmRegistries: urls('npmRegistries'),
    pipIndexes: urls('pipIndexes'),
    pipReplaceIndex,
    gitOrganizations: urls('gitOrganizations'),
    environmentVariables: lines(getInput('environmentVariables')).map(parseVariableName),
  };
}

export function hasToolTargets(targets: ToolTargets): boolean {
  return [targets.nugetFeeds, targets.npmRegistries, targets.pipIndexes, targets.gitOrganizations, targets.environmentVariables].some((list) => list.length > 0);
}
