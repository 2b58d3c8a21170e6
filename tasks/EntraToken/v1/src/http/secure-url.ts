// The one check for a URL that will receive a token or a secret: it must parse, be https:, name a host and carry
// no user info. Anything else fails the task before a request is sent, with a message naming where the URL came from.
import { TaskError } from '../common/messages';

/** Builds the failure message from the URL as it may be shown (user info masked). */
export type UrlComplaint = (shown: string) => string;

/** The URL as it may appear in a message: user info (a password, perhaps) replaced by '***'. */
export function showableUrl(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/*)[^/?#\\]*@/i, '$1***@');
}

/** The parsed URL, or a TaskError built by `complain` when the URL may not receive a secret. */
export function requireSecureUrl(value: string, complain: UrlComplaint): URL {
  const url = /[\s\p{Cc}]/u.test(value) ? undefined : URL.parse(value);
  if (url?.protocol !== 'https:' || url.hostname === '' || url.username !== '' || url.password !== '') {
    throw new TaskError(complain(showableUrl(value)));
  }
  return url;
}
