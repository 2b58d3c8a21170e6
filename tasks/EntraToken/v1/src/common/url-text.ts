// The character rule for every input that becomes part of a URL or a scope (scope, tokenServiceScopes,
// organizationUrl, tenantId, the tool URL lists). '#' and '[' ']' have no place in them and are what an agent
// command or a URL fragment needs; whitespace and control characters are silently dropped by the URL parser or
// start a new log line. Refusing them up front means such text never reaches a request, a file or the log.
import { TaskError, messages } from './messages';
import { showableUrl } from '../http/secure-url';

const FORBIDDEN = /[#[\]]|\s|[\u0000-\u001f\u007f-\u009f]|\p{Cf}/u;

function describe(character: string): string {
  if (character === '#' || character === '[' || character === ']') return `'${character}'`;
  if (character === ' ') return 'a space';
  if (character === '\t') return 'a tab';
  if (character === '\r' || character === '\n') return 'a line break';
  const code = (character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
  return `the invisible or control character U+${code}`;
}

/** The first character an URL or scope input may not hold, described for a message; undefined when none. */
export function forbiddenCharacter(value: string): string | undefined {
  const match = FORBIDDEN.exec(value);
  return match === null ? undefined : describe(match[0]);
}

/** Throws the input's own message when the value breaks the rule; `line` is 1-based, for multi-line inputs. */
export function requireUrlText(input: string, value: string, example: string, line?: number): string {
  const character = forbiddenCharacter(value);
  // The value is shown with any user info masked: a URL may carry a password.
  if (character !== undefined) throw new TaskError(messages.forbiddenCharacter(input, line, showableUrl(value), character, example));
  return value;
}

/** The entries of a list input (one per line, or comma-separated) with their 1-based line numbers. */
export function listEntries(value: string | undefined): { readonly text: string; readonly line: number }[] {
  return (value ?? '').split(/\r?\n/).flatMap((row, index) =>
    row
      .split(',')
      .map((text) => ({ text: text.trim(), line: index + 1 }))
      .filter((entry) => entry.text !== ''),
  );
}
