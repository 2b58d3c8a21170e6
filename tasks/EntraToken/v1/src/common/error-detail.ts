// The text a failure line quotes for an error: its message, and its system code (ECONNRESET, ENOTFOUND, …) when the
// message does not already say it. Node words one reset several ways ("socket hang up", "Client network socket
// disconnected before secure TLS connection was established"); the code is what a user can search for.
import { stringField } from './json';

export function errorDetail(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = stringField(error, 'code');
  return code !== undefined && /^E[A-Z0-9_]+$/.test(code) && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
}
