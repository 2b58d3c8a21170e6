// Records every HTTP attempt (ours and @azure/identity's) through one pipeline policy: it sets the per-attempt
// timeout, refuses a Retry-After that would outlast the task, and feeds the debug log and failure messages.
// It never sees or records a body.
import { RestError, type PipelinePolicy, type PipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import { stringField } from '../common/json';
import { TaskError, messages } from '../common/messages';

export interface Attempt {
  readonly method: string;
  readonly host: string;
  readonly path: string;
  readonly attempt: number;
  readonly ms: number;
  readonly status?: number;
  readonly retryAfterSeconds?: number;
  readonly error?: string;
  /** The AADSTS code of an error answer: some failures (an unknown tenant) reach the caller without it. */
  readonly aadsts?: string;
}

export interface JournalOptions {
  readonly requestTimeoutMs: number;
  readonly maxRetries: number;
  /** Epoch ms after which no retry may start. */
  readonly deadline: number;
  readonly onAttempt: (attempt: Attempt, willRetry: boolean) => void;
}

export function isRetriable(attempt: Attempt): boolean {
  if (attempt.status === undefined) return true;
  return attempt.status === 408 || attempt.status === 429 || (attempt.status >= 500 && attempt.status !== 501 && attempt.status !== 505);
}

function retryAfterSeconds(response: PipelineResponse): number | undefined {
  const header = response.headers.get('retry-after');
  if (header === undefined) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return seconds;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}

function isAttemptTimeout(error: unknown, request: PipelineRequest): boolean {
  return error instanceof Error && error.name === 'AbortError' && request.abortSignal?.aborted !== true;
}

function errorCode(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return stringField(error, 'code') ?? error.name;
}

export class RequestJournal {
  readonly attempts: Attempt[] = [];
  /** Set when the journal stopped a request itself; libraries may wrap the error it threw. */
  refusal: TaskError | undefined;
  private readonly counts = new Map<string, number>();

  constructor(private readonly options: JournalOptions) {}

  lastFor(host: string): Attempt | undefined {
    return this.attempts.filter((attempt) => attempt.host === host).at(-1);
  }

  countFor(host: string): number {
    return this.attempts.filter((attempt) => attempt.host === host).length;
  }

  policy(): PipelinePolicy {
    return {
      name: 'entraTokenJournal',
      sendRequest: async (request, next) => {
        if (!request.timeout) request.timeout = this.options.requestTimeoutMs;
        const attempt = (this.counts.get(request.requestId) ?? 0) + 1;
        this.counts.set(request.requestId, attempt);
        const url = new URL(request.url);
        const base = { method: request.method, host: url.host, path: url.pathname, attempt };
        const started = Date.now();
        let response: PipelineResponse;
        try {
          response = await next(request);
        } catch (error) {
          const timedOut = isAttemptTimeout(error, request);
          this.record({ ...base, ms: Date.now() - started, error: timedOut ? `no answer within ${request.timeout} ms` : errorCode(error) });
          // The SDK treats any AbortError as a cancellation and never retries it; a slow server is worth a retry.
          if (timedOut) throw new RestError(`No answer within ${request.timeout} ms`, { code: 'ETIMEDOUT', request });
          throw error;
        }
        const retryAfter = retryAfterSeconds(response);
        const aadsts = response.status >= 400 ? /AADSTS(\d+)/.exec(response.bodyAsText ?? '')?.[1] : undefined;
        const attemptRecord: Attempt = {
          ...base,
          ms: Date.now() - started,
          status: response.status,
          retryAfterSeconds: retryAfter,
          aadsts,
        };
        const outlastsTask =
          isRetriable(attemptRecord) && retryAfter !== undefined && Date.now() + retryAfter * 1000 > this.options.deadline;
        this.record(attemptRecord, !outlastsTask);
        if (outlastsTask) {
          this.refusal = new TaskError(messages.retryAfterTooLong(url.host, response.status, Math.ceil(retryAfter)));
          throw this.refusal;
        }
        return response;
      },
    };
  }

  private record(attempt: Attempt, retryAllowed = true): void {
    this.attempts.push(attempt);
    const willRetry =
      retryAllowed && isRetriable(attempt) && attempt.attempt <= this.options.maxRetries && Date.now() < this.options.deadline;
    this.options.onAttempt(attempt, willRetry);
  }
}
