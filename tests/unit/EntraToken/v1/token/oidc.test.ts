import assert from 'node:assert/strict';
import type { HttpResponse, HttpSender } from '../../../../../tasks/EntraToken/v1/src/http/sender';
import { requestOidcToken } from '../../../../../tasks/EntraToken/v1/src/token/oidc';
import { SecretRegistry } from '../../../../../tasks/EntraToken/v1/src/common/secrets';
import { FakePipeline } from '../fake-pipeline';

const REQUEST = { requestUri: 'https://dev.azure.example/o/p/_apis/oidctoken?x=1', connectionId: 'c 1', jobToken: 'job' };

function answering(response: HttpResponse | Error): { send: HttpSender; urls: string[] } {
  const urls: string[] = [];
  const send: HttpSender = (request) => {
    urls.push(request.url);
    return response instanceof Error ? Promise.reject(response) : Promise.resolve(response);
  };
  return { send, urls };
}

describe('requestOidcToken: success', () => {
  it('keeps the request URI query, adds api-version and the connection id, and registers the token', async () => {
    const pipeline = new FakePipeline();
    const { send, urls } = answering({ status: 200, bodyText: '{"oidcToken":"the-oidc-token"}' });

    const token = await requestOidcToken(REQUEST, send, new SecretRegistry(pipeline));

    assert.equal(token, 'the-oidc-token');
    assert.equal(urls[0], 'https://dev.azure.example/o/p/_apis/oidctoken?x=1&api-version=7.1&serviceConnectionId=c+1');
    assert.equal(pipeline.secrets[0], 'the-oidc-token');
  });
});

describe('requestOidcToken: refusals', () => {
  const cases: { name: string; response: HttpResponse | Error; expected: RegExp }[] = [
    {
      name: '401: the job token was rejected',
      response: { status: 401, bodyText: '{"message":"TF400813"}' },
      expected: /rejected the job's access token.*HTTP 401/,
    },
    {
      name: '400: the connection is not usable here',
      response: { status: 400, bodyText: '{"message":"Service connection c 1 was not found."}' },
      expected:
        /refused to issue an OIDC token for service connection 'c 1' \(HTTP 400: Service connection c 1 was not found\.\)\. Reference the connection/,
    },
    {
      name: '400: the connection is disabled',
      response: { status: 400, bodyText: '{"message":"The service connection c 1 is disabled."}' },
      expected:
        /Service connection 'c 1' is disabled \('The service connection c 1 is disabled\.'\)\..*enable it again in Project settings > Service connections/,
    },
    {
      name: '503 after retries',
      response: { status: 503, bodyText: '' },
      expected: /could not issue an OIDC token \(HTTP 503\), even after retries/,
    },
    { name: '200 without oidcToken', response: { status: 200, bodyText: '<html>sign in</html>' }, expected: /HTTP 200 but no 'oidcToken'/ },
    {
      name: 'network failure',
      response: new Error('connect ECONNREFUSED 127.0.0.1:1'),
      expected: /Could not reach dev\.azure\.example to request an OIDC token: connect ECONNREFUSED.*HTTPS_PROXY/,
    },
  ];
  for (const testCase of cases) {
    it(testCase.name, async () => {
      const { send } = answering(testCase.response);

      await assert.rejects(requestOidcToken(REQUEST, send, new SecretRegistry(new FakePipeline())), testCase.expected);
    });
  }
});
