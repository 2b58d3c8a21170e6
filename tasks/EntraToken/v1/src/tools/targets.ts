// Reads the tool inputs: lists of https:// URLs (any host: Azure DevOps Server, custom domains and proxies
// serve feeds too) and environment variable names, one per line.
import { TaskError, messages } from '../common/messages';
import { listEntries, requireUrlText } from '../common/url-text';
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

const EXAMPLES: Readonly<Record<UrlListInput, string>> = {
  nugetFeeds: 'https://pkgs.dev.azure.com/contoso/_packaging/feed/nuget/v3/index.json',
  npmRegistries: 'https://pkgs.dev.azure.com/contoso/_packaging/feed/npm/registry/',
  pipIndexes: 'https://pkgs.dev.azure.com/contoso/_packaging/feed/pypi/simple/',
  gitOrganizations: 'https://dev.azure.com/contoso',
};

/** Entries of a list input; a line that starts with '#' is a comment. */
function entries(value: string | undefined): { readonly text: string; readonly line: number }[] {
  return listEntries(value).filter((entry) => !entry.text.startsWith('#'));
}

function lines(value: string | undefined): string[] {
  return entries(value).map((entry) => entry.text);
}

function parseUrl(input: UrlListInput, line: string, lineNumber: number): string {
  requireUrlText(input, line, EXAMPLES[input], lineNumber);
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
  const urls = (input: UrlListInput) => entries(getInput(input)).map((entry) => parseUrl(input, entry.text, entry.line));
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
