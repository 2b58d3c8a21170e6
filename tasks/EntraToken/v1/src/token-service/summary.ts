// What the service did, kept in memory (the service writes no file) and handed to the post-job step over its
// authenticated shutdown request. The post-job step prints it from parsed, checked fields only: never raw text.
import { field, numberField, parseJson } from '../common/json';
import type { RotationSummary } from './rotation';

export interface ScopeSummary {
  readonly scope: string;
  readonly issued: number;
  readonly failed: number;
  readonly lastExpiresOn?: string;
}

export interface ServiceSummary {
  readonly pid: number;
  readonly scopes: readonly ScopeSummary[];
  readonly federatedTokenFile?: RotationSummary;
}

interface Counts {
  issued: number;
  failed: number;
  lastExpiresOn?: string;
}

export class IssuanceRecord {
  private readonly scopes = new Map<string, Counts>();

  private entry(scope: string): Counts {
    const existing = this.scopes.get(scope);
    if (existing) return existing;
    const created: Counts = { issued: 0, failed: 0 };
    this.scopes.set(scope, created);
    return created;
  }

  issued(scope: string, expiresOn: Date): void {
    const entry = this.entry(scope);
    entry.issued += 1;
    entry.lastExpiresOn = expiresOn.toISOString();
  }

  failed(scope: string): void {
    this.entry(scope).failed += 1;
  }

  summary(pid: number): ServiceSummary {
    return { pid, scopes: [...this.scopes].map(([scope, entry]) => ({ scope, ...entry })) };
  }
}

const PRINTABLE_SCOPE = /^[A-Za-z0-9:/._~%-]{1,200}$/;
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

function parseScope(value: unknown): ScopeSummary | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const scope: unknown = Reflect.get(value, 'scope');
  const issued = count(Reflect.get(value, 'issued'));
  const failed = count(Reflect.get(value, 'failed'));
  const last: unknown = Reflect.get(value, 'lastExpiresOn');
  if (typeof scope !== 'string' || !PRINTABLE_SCOPE.test(scope) || issued === undefined || failed === undefined) return undefined;
  return typeof last === 'string' && ISO_TIME.test(last) ? { scope, issued, failed, lastExpiresOn: last } : { scope, issued, failed };
}

function parseRotation(value: unknown): RotationSummary | undefined {
  const rewrites = count(field(value, 'rewrites'));
  const failed = count(field(value, 'failed'));
  if (rewrites === undefined || failed === undefined) return undefined;
  const age = count(numberField(value, 'oldestReplacedAgeSeconds'));
  const lifetime = count(numberField(value, 'oldestReplacedLifetimeSeconds'));
  return {
    rewrites,
    failed,
    ...(age === undefined ? {} : { oldestReplacedAgeSeconds: age }),
    ...(lifetime === undefined ? {} : { oldestReplacedLifetimeSeconds: lifetime }),
  };
}

/** Only fields of the expected shape and character set survive; anything else is dropped, not printed. */
export function parseSummary(text: string): ServiceSummary | undefined {
  const value = parseJson(text);
  if (typeof value !== 'object' || value === null) return undefined;
  const pid = count(Reflect.get(value, 'pid'));
  const scopes: unknown = Reflect.get(value, 'scopes');
  if (pid === undefined || !Array.isArray(scopes)) return undefined;
  const rotation = parseRotation(Reflect.get(value, 'federatedTokenFile'));
  return {
    pid,
    scopes: scopes.flatMap((scope: unknown) => parseScope(scope) ?? []),
    ...(rotation === undefined ? {} : { federatedTokenFile: rotation }),
  };
}
