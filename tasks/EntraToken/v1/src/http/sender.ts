// One small HTTP seam for our own requests (the OIDC call). It uses the Azure SDK pipeline that @azure/identity
// already brings: bounded retries with backoff and jitter that honour Retry-After, proxy support, no global fetch.
import {
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  type PipelinePolicy,
} from '@azure/core-rest-pipeline';
import type { Limits } from './limits';
import type { AgentProxy } from '../platform/port';
import { proxyFor } from './proxy';

export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface HttpResponse {
  readonly status: number;
  readonly bodyText: string;
}

export type HttpSender = (request: HttpRequest) => Promise<HttpResponse>;

export interface HttpContext {
  readonly agentProxy: AgentProxy | undefined;
  readonly limits: Limits;
  /** Epoch ms: no attempt or backoff may run past it. */
  readonly deadline: number;
  /** Aborts every request at the deadline; once it has fired, the deadline is what ended the run. */
  readonly deadlineSignal: AbortSignal;
  /** Runs on every attempt, inside the retry loop. */
  readonly attemptPolicy: PipelinePolicy;
}

export const USER_AGENT = 'EntraToken/1';

export function createHttpSender(context: HttpContext): HttpSender {
  const client = createDefaultHttpClient();
  return async (request) => {
    const pipeline = createPipelineFromOptions({
      proxyOptions: proxyFor(request.url, context.agentProxy),
      retryOptions: {
        maxRetries: context.limits.maxRetries,
        retryDelayInMs: context.limits.retryDelayMs,
        maxRetryDelayInMs: context.limits.maxRetryDelayMs,
      },
      userAgentOptions: { userAgentPrefix: USER_AGENT },
    });
    pipeline.addPolicy(context.attemptPolicy, { afterPhase: 'Retry' });
    const response = await pipeline.sendRequest(
      client,
      createPipelineRequest({
        url: request.url,
        method: request.method,
        headers: createHttpHeaders(request.headers),
        body: request.body,
        abortSignal: context.deadlineSignal,
      }),
    );
    return { status: response.status, bodyText: response.bodyAsText ?? '' };
  };
}
