// Time and retry limits. Defaults keep a step well inside any job timeout; the environment variables let users on
// slow networks (and the tests) change them without a new task version.

export interface Limits {
  /** Per attempt: connect, send and receive. */
  readonly requestTimeoutMs: number;
  /** Extra attempts after the first, for network errors, 408, 429 and 5xx. */
  readonly maxRetries: number;
  /** Base of the exponential backoff (with jitter); Retry-After wins when the server sends it. */
  readonly retryDelayMs: number;
  readonly maxRetryDelayMs: number;
  /** The whole task, from start to exported token. */
  readonly taskTimeoutMs: number;
}

export const LIMIT_VARIABLES = {
  requestTimeoutMs: 'ENTRATOKEN_REQUEST_TIMEOUT_MS',
  maxRetries: 'ENTRATOKEN_MAX_RETRIES',
  retryDelayMs: 'ENTRATOKEN_RETRY_DELAY_MS',
  taskTimeoutMs: 'ENTRATOKEN_TIMEOUT_MS',
} as const;

const DEFAULTS: Limits = {
  requestTimeoutMs: 20_000,
  maxRetries: 3,
  retryDelayMs: 1_000,
  maxRetryDelayMs: 8_000,
  taskTimeoutMs: 120_000,
};

function bounded(raw: string | undefined, fallback: number, min: number, max: number): number {
  const value = Number(raw);
  return raw !== undefined && raw.trim() !== '' && Number.isInteger(value) && value >= min && value <= max ? value : fallback;
}

export function readLimits(env: Readonly<Record<string, string | undefined>>): Limits {
  return {
    requestTimeoutMs: bounded(env[LIMIT_VARIABLES.requestTimeoutMs], DEFAULTS.requestTimeoutMs, 100, 300_000),
    maxRetries: bounded(env[LIMIT_VARIABLES.maxRetries], DEFAULTS.maxRetries, 0, 10),
    retryDelayMs: bounded(env[LIMIT_VARIABLES.retryDelayMs], DEFAULTS.retryDelayMs, 0, 60_000),
    maxRetryDelayMs: DEFAULTS.maxRetryDelayMs,
    taskTimeoutMs: bounded(env[LIMIT_VARIABLES.taskTimeoutMs], DEFAULTS.taskTimeoutMs, 1_000, 3_600_000),
  };
}
