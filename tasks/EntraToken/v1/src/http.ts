// One small HTTP seam for our own requests (the OIDC call). It uses the Azure SDK pipeline that @azure/identity
// already brings: bounded retries with backoff that honour Retry-After, proxy support, and no global fetch.
import {
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  type HttpClient,
  type Pipeline as SdkPipeline,
} from '@azure/core-rest-pipeline';
import type { AgentProxy } from './port';
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

export interface HttpPolicy {
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly maxRetryDelayMs: number;
}

export const USER_AGENT = 'EntraToken/1';

export function createHttpSender(agentProxy: AgentProxy | undefined, policy: HttpPolicy): HttpSender {
  const client: HttpClient = createDefaultHttpClient();
  return async (request) => {
    const pipeline: SdkPipeline = createPipelineFromOptions({
      proxyOptions: proxyFor(request.url, agentProxy),
      retryOptions: { maxRetries: policy.maxRetries, maxRetryDelayInMs: policy.maxRetryDelayMs },
      userAgentOptions: { userAgentPrefix: USER_AGENT },
    });
    const response = await pipeline.sendRequest(
      client,
      createPipelineRequest({
        url: request.url,
        method: request.method,
        headers: createHttpHeaders(request.headers),
        body: request.body,
        timeout: policy.timeoutMs,
      }),
    );
    return { status: response.status, bodyText: response.bodyAsText ?? '' };
  };
}
