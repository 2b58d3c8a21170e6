// additionalTokens: one NAME=SCOPE per line, each exported like the main token under its own name. Every line
// is checked before any request, and a name may not shadow the main variable, an output, or another line.
import { TaskError, messages } from '../common/messages';
import { normalizeScope } from './scope';
import { requireUrlText } from '../common/url-text';

export interface NamedScope {
  readonly name: string;
  readonly scope: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;
const RESERVED_PREFIXES = ['system.', 'agent.', 'build.', 'release.', 'endpoint.', 'input.', 'secret.', 'system_', 'agent_'];

function parseLine(line: string): NamedScope {
  const separator = line.indexOf('=');
  if (separator <= 0) throw new TaskError(messages.invalidAdditionalToken(line));
  const name = line.slice(0, separator).trim();
  const value = line.slice(separator + 1).trim();
  if (!NAME.test(name) || RESERVED_PREFIXES.some((prefix) => name.toLowerCase().startsWith(prefix))) {
    throw new TaskError(messages.invalidAdditionalTokenName(line, name));
  }
  if (value === '') throw new TaskError(messages.invalidAdditionalToken(line));
  requireUrlText('additionalTokens', value, 'ARM_TOKEN=https://management.azure.com/.default');
  try {
    return { name, scope: normalizeScope(value) };
  } catch {
    throw new TaskError(messages.invalidAdditionalTokenScope(line, value));
  }
}

/** `taken` maps names already in use (case-insensitive, as the agent treats them) to what uses them. */
export function parseAdditionalTokens(text: string, taken: ReadonlyMap<string, string>): NamedScope[] {
  const used = new Map([...taken].map(([name, owner]) => [name.toLowerCase(), owner]));
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  return lines.map((line) => {
    const parsed = parseLine(line);
    for (const name of [parsed.name, `${parsed.name}_expiresOn`]) {
      const owner = used.get(name.toLowerCase());
      if (owner !== undefined) throw new TaskError(messages.duplicateAdditionalToken(line, name, owner));
    }
    used.set(parsed.name.toLowerCase(), `the line '${line}'`);
    used.set(`${parsed.name}_expiresOn`.toLowerCase(), `the line '${line}'`);
    return parsed;
  });
}
