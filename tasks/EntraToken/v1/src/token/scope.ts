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
