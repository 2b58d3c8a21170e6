// Reads the tool inputs: lists of https:// URLs (any host: Azure DevOps Server, custom domains and proxies
// serve feeds too), `name=URL` lines and environment variable names, one per line. Every URL line of every
// tool is validated by parseUrl, here.
import { TaskError, messages } from '../common/messages';
import { requireSecureUrl } from '../http/secure-url';
import { parseToolTargets, requestedTools, type ToolTargets } from './registry';
import type { NamedUrl, ToolInput, ToolReader } from './tool-module';

export type { ToolTargets } from './registry';

const RESERVED_ENVIRONMENT = /^(SYSTEM|AGENT|BUILD|RELEASE|ENDPOINT|INPUT|SECRET|VSTS|TF)_|^(PATH|HOME|TEMP|TMP)$/i;

function lines(value: string | undefined): string[] {
  return (value ?? '').split(/\r?\n|,/).map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
}

function parseUrl(input: ToolInput, line: string): string {
  requireSecureUrl(line, (shown) => messages.invalidToolUrl(input, shown));
  return line;
}

function parseNamedUrl(input: ToolInput, line: string, nameRule: RegExp, nameRequired: boolean): NamedUrl {
  const match = /^([^=:/\s]+)=(.*)$/.exec(line);
  if (!match) {
    if (nameRequired) throw new TaskError(messages.invalidNamedUrl(input, line));
    return { name: undefined, url: parseUrl(input, line) };
  }
  const [, name = '', url = ''] = match;
  if (!nameRule.test(name)) throw new TaskError(messages.invalidNamedUrl(input, line));
  return { name, url: parseUrl(input, url.trim()) };
}

function parseHost(input: ToolInput, line: string): string {
  if (!/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:\d{1,5})?$/.test(line)) throw new TaskError(messages.invalidToolHost(input, line));
  parseUrl(input, `https://${line}/`);
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
    urls: (input) => lines(getInput(input)).map((line) => parseUrl(input, line)),
    namedUrls: (input, nameRule, nameRequired) =>
      duplicateNamesRefused(input, lines(getInput(input)).map((line) => parseNamedUrl(input, line, nameRule, nameRequired))),
    variableNames: (input) => lines(getInput(input)).map(parseVariableName),
    hosts: (input) => lines(getInput(input)).map((line) => parseHost(input, line)),
    flag: (input) => (input === 'pipReplaceIndex' && pipReplaceIndex !== undefined ? pipReplaceIndex : parseFlag(input, getInput(input))),
  };
  return parseToolTargets(reader);
}

export function hasToolTargets(targets: ToolTargets): boolean {
  return requestedTools(targets).length > 0;
}
