// What a scope is: one resource (a GUID, or an https:// or api:// URI) with `/.default`, the only kind the
// client-credential flow accepts. The task's inputs and the token service both normalise through here.
import { DEFAULT_SCOPE, TaskError, messages } from '../common/messages';

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isResource(value: string): boolean {
  if (/[\s,;]/.test(value)) return false;
  if (GUID.test(value)) return true;
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'api:') && url.host !== '';
  } catch {
    return false;
  }
}

/** A bare resource (GUID or URI) becomes its `.default` scope; empty means the Azure DevOps scope. */
export function normalizeScope(value: string): string {
  if (value === '') return DEFAULT_SCOPE;
  const resource = value.endsWith('/.default') ? value.slice(0, -'/.default'.length) : value;
  if (!isResource(resource)) throw new TaskError(messages.invalidScope(value));
  return `${resource}/.default`;
}

/**
 * The form Entra compares: the bare resource, without trailing slashes, GUID and scheme/host in lower case, so
 * `https://Management.azure.com/`, `https://management.azure.com` and `https://management.azure.com/.default`
 * name one scope. Undefined when the value is not a scope at all.
 */
export function scopeKey(value: string): string | undefined {
  const bare = (value.endsWith('/.default') ? value.slice(0, -'/.default'.length) : value).replace(/\/+$/, '');
  if (bare === '' && value !== '') return undefined;
  let scope: string;
  try {
    scope = normalizeScope(bare);
  } catch {
    return undefined;
  }
  const resource = scope.slice(0, -'/.default'.length);
  if (GUID.test(resource)) return resource.toLowerCase();
  const origin = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)(.*)$/i.exec(resource);
  return origin ? `${(origin[1] ?? '').toLowerCase()}${origin[2] ?? ''}` : resource;
}

export function sameScope(a: string, b: string): boolean {
  const key = scopeKey(a);
  return key !== undefined && key === scopeKey(b);
}
