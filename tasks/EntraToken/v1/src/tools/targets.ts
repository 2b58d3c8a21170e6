// Reads the tool inputs: lists of https:// URLs (any host: Azure DevOps Server, custom domains and proxies
// serve feeds too), `name=URL` lines and environment variable names, one per line. Every URL line of every
// tool is validated by parseUrl, here.
import { TaskError, messages } from '../common/messages';
import { listEntries, requireUrlText } from '../common/url-text';
import { requireSecureUrl } from '../http/secure-url';
import { parseToolTargets, requestedTools, type ToolTargets } from './registry';
import type { NamedUrl, ToolInput, ToolReader } from './tool-module';

export type { ToolTargets } from './registry';

const RESERVED_ENVIRONMENT = /^(SYSTEM|AGENT|BUILD|RELEASE|ENDPOINT|INPUT|SECRET|VSTS|TF)_|^(PATH|HOME|TEMP|TMP)$/i;

const FEED = 'https://pkgs.dev.azure.com/contoso/_packaging/feed';
const EXAMPLES: Partial<Readonly<Record<ToolInput, string>>> = {
  nugetFeeds: `${FEED}/nuget/v3/index.json`,
  npmRegistries: `${FEED}/npm/registry/`,
  pipIndexes: `${FEED}/pypi/simple/`,
  pypiUploads: `${FEED}/pypi/upload/`,
  mavenFeeds: `feed=${FEED}/maven/v1`,
  containerRegistries: 'contoso.azurecr.io',
  gitOrganizations: 'https://dev.azure.com/contoso',
};

interface Entry {
  readonly text: string;
  readonly line: number;
}

/** Entries of a list input with their line numbers; a line that starts with '#' is a comment. */
function entries(value: string | undefined): Entry[] {
  return listEntries(value).filter((entry) => !entry.text.startsWith('#'));
}

function parseUrl(input: ToolInput, entry: Entry, url = entry.text): string {
  requireUrlText(input, url, EXAMPLES[input] ?? 'https://contoso.example/', entry.line);
  requireSecureUrl(url, (shown) => messages.invalidToolUrl(input, shown));
  return url;
}

function parseNamedUrl(input: ToolInput, entry: Entry, nameRule: RegExp, nameRequired: boolean): NamedUrl {
  // The name's own rule refuses what the URL-text rule would; the URL part goes through parseUrl.
  const line = entry.text;
  const match = /^([^=:/\s]+)=(.*)$/.exec(line);
  if (!match) {
    if (nameRequired) throw new TaskError(messages.invalidNamedUrl(input, line));
    return { name: undefined, url: parseUrl(input, entry) };
  }
  const [, name = '', url = ''] = match;
  if (!nameRule.test(name)) throw new TaskError(messages.invalidNamedUrl(input, line));
  return { name, url: parseUrl(input, entry, url.trim()) };
}

function parseHost(input: ToolInput, entry: Entry): string {
  const line = requireUrlText(input, entry.text, EXAMPLES[input] ?? 'contoso.example', entry.line);
  if (!/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:\d{1,5})?$/.test(line)) throw new TaskError(messages.invalidToolHost(input, line));
  parseUrl(input, entry, `https://${line}/`);
  return line.toLowerCase();
}

function parseVariableName(line: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(line) || RESERVED_ENVIRONMENT.test(line)) {
    throw new TaskError(messages.invalidEnvironmentVariable(line));
  }
  return line;
}

function parseFlag(input: ToolInput, value: string | undefined): boolean {
  const text = (value ?? '').trim();
  if (text === '' || /^false$/i.test(text)) return false;
  if (/^true$/i.test(text)) return true;
  throw new TaskError(messages.invalidBoolean(input, text));
}

function duplicateNamesRefused(input: ToolInput, named: NamedUrl[]): NamedUrl[] {
  const seen = new Set<string>();
  for (const { name } of named) {
    if (name === undefined) continue;
    if (seen.has(name.toLowerCase())) throw new TaskError(messages.duplicateToolName(input, name));
    seen.add(name.toLowerCase());
  }
  return named;
}

/** `pipReplaceIndex`, when given, is the already-validated value of that input. */
export function readToolTargets(getInput: (name: string) => string | undefined, pipReplaceIndex?: boolean): ToolTargets {
  const reader: ToolReader = {
    urls: (input) => entries(getInput(input)).map((entry) => parseUrl(input, entry)),
    namedUrls: (input, nameRule, nameRequired) =>
      duplicateNamesRefused(
        input,
        entries(getInput(input)).map((entry) => parseNamedUrl(input, entry, nameRule, nameRequired)),
      ),
    variableNames: (input) => entries(getInput(input)).map((entry) => parseVariableName(entry.text)),
    hosts: (input) => entries(getInput(input)).map((entry) => parseHost(input, entry)),
    flag: (input) => (input === 'pipReplaceIndex' && pipReplaceIndex !== undefined ? pipReplaceIndex : parseFlag(input, getInput(input))),
  };
  return parseToolTargets(reader);
}

export function hasToolTargets(targets: ToolTargets): boolean {
  return requestedTools(targets).length > 0;
}
