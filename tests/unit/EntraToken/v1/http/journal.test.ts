import assert from 'node:assert/strict';
import { createHttpHeaders, createPipelineRequest, type PipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import { RequestJournal, isRetriable, type Attempt } from '../../../../../tasks/EntraToken/v1/src/http/journal';
import { TaskError } from '../../../../../tasks/EntraToken/v1/src/common/messages';

function answer(status: number, headers: Record<string, string> = {}, body = ''): (request: PipelineRequest) => Promise<PipelineResponse> {
  return (request) => Promise.resolve({ request, status, headers: createHttpHeaders(headers), bodyAsText: body });
}

function journal(deadline = Date.now() + 60_000): { journal: RequestJournal; seen: [Attempt, boolean][] } {
  const seen: [Attempt, boolean][] = [];
  return {
    journal: new RequestJournal({
      requestTimeoutMs: 1_000,
      maxRetries: 1,
      deadline,
      onAttempt: (attempt, willRetry) => seen.push([attempt, willRetry]),
    }),
    seen,
  };
}

describe('RequestJournal: what it records of each attempt', () => {
  it('records method, host, path, status and the AADSTS code of an error answer, never the body', async () => {
    const { journal: subject, seen } = journal();
    const request = createPipelineRequest({ url: 'https://login.example/tenant/oauth2/v2.0/token?secret=x', method: 'POST' });

    await subject.policy().sendRequest(request, answer(400, {}, '{"error_description":"AADSTS700016: no app"}'));

    assert.equal(request.timeout, 1_000);
    assert.deepEqual(
      seen.map(([attempt]) => ({ ...attempt, ms: 0 })),
      [
        {
          method: 'POST',
          host: 'login.example',
          path: '/tenant/oauth2/v2.0/token',
          attempt: 1,
          ms: 0,
          status: 400,
          retryAfterSeconds: undefined,
          aadsts: '700016',
        },
      ],
    );
    assert.equal(subject.lastFor('login.example')?.status, 400);
  });

  it('counts attempts of the same request and says whether a retry may follow', async () => {
    const { journal: subject, seen } = journal();
    const request = createPipelineRequest({ url: 'https://login.example/t' });

    await subject.policy().sendRequest(request, answer(503));
    await subject.policy().sendRequest(request, answer(503));

    assert.deepEqual(
      seen.map(([attempt, willRetry]) => [attempt.attempt, willRetry]),
      [
        [1, true],
        [2, false],
      ],
    );
    assert.equal(subject.countFor('login.example'), 2);
  });

  it('records a network failure by its code and passes the error on', async () => {
    const { journal: subject } = journal();
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });

    await assert.rejects(
      subject.policy().sendRequest(createPipelineRequest({ url: 'https://login.example/t' }), () => Promise.reject(refused)),
      refused,
    );

    assert.equal(subject.lastFor('login.example')?.error, 'ECONNREFUSED');
  });
});

describe('RequestJournal: a Retry-After that outlasts the task', () => {
  it('refuses it with a TaskError that names the host and the wait, and keeps it as the refusal', async () => {
    const { journal: subject, seen } = journal(Date.now() + 5_000);

    await assert.rejects(
      subject.policy().sendRequest(createPipelineRequest({ url: 'https://login.example/t' }), answer(429, { 'Retry-After': '60' })),
      (error: unknown) => error instanceof TaskError && error.message.includes('login.example') && error.message.includes('60'),
    );

    assert.ok(subject.refusal instanceof TaskError);
    assert.deepEqual(
      seen.map(([, willRetry]) => willRetry),
      [false],
    );
  });
});

describe('isRetriable: which answers are worth another attempt', () => {
  it('retries no answer, 408, 429 and 5xx except 501 and 505', () => {
    const retried = [undefined, 200, 400, 401, 408, 429, 500, 501, 502, 503, 505].filter((status) =>
      isRetriable({ method: 'GET', host: 'h', path: '/', attempt: 1, ms: 0, status }),
    );

    assert.deepEqual(retried, [undefined, 408, 429, 500, 502, 503]);
  });
});
