import assert from 'node:assert/strict';
import { request } from 'node:http';
import { TokenMinter } from '../../../../../tasks/EntraToken/v1/src/token-service/minter';
import { createServiceServer, secretMatches } from '../../../../../tasks/EntraToken/v1/src/token-service/server';

const SECRET = 'a'.repeat(64);

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, headers }, (response) => {
      let text = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) });
      });
    }).on('error', reject).end();
  });
}

describe('token service server', () => {
  const scopes: string[] = [];
  const server = createServiceServer({
    secret: SECRET,
    allowedScopes: ['499b84ac-1321-427f-aa17-267ca6975798/.default', 'https://graph.microsoft.com/.default', 'api://broken/.default'],
    clientId: 'client-1',
    minter: new TokenMinter((scope) => {
      scopes.push(scope);
      if (scope === 'api://broken/.default') return Promise.reject(new Error('library said: client_assertion=job-secret-value'));
      return Promise.resolve({ token: `token-for-${scope}`, expiresOn: new Date(2_000_000_000_000) });
    }, () => undefined),
    redact: (text) => text.split('job-secret-value').join('***'),
  });
  let port = 0;

  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    port = typeof address === 'object' && address !== null ? address.port : 0;
  });
  after(() => {
    server.close();
  });

  it('answers the App Service managed-identity protocol for an allowed resource', async () => {
    const answer = await get(port, '/msi/token?api-version=2019-08-01&resource=https%3A%2F%2Fgraph.microsoft.com', { 'X-IDENTITY-HEADER': SECRET });

    assert.deepEqual(answer, { status: 200, body: { access_token: 'token-for-https://graph.microsoft.com/.default', expires_on: '2000000000', resource: 'https://graph.microsoft.com', token_type: 'Bearer', client_id: 'client-1' } });
  });

  it('serves the first allowed scope on /token when none is named', async () => {
    const answer = await get(port, '/token', { 'X-EntraToken-Secret': SECRET });

    assert.equal(answer.status, 200);
    assert.equal(scopes.at(-1), '499b84ac-1321-427f-aa17-267ca6975798/.default');
  });

  it('answers a minting failure with 502 and error text scrubbed of secrets', async () => {
    const answer = await get(port, '/token?scope=api%3A%2F%2Fbroken', { 'X-EntraToken-Secret': SECRET });

    assert.deepEqual(answer, { status: 502, body: { statusCode: 502, message: 'library said: client_assertion=***' } });
  });

  const refusals: [string, string, Record<string, string>, number][] = [
    ['no secret', '/token', {}, 401],
    ['the managed-identity secret on the plain endpoint', '/token', { 'X-IDENTITY-HEADER': SECRET }, 401],
    ['an old api-version', '/msi/token?api-version=2017-09-01&resource=x', { 'X-IDENTITY-HEADER': SECRET }, 400],
    ['a scope outside the allow-list', '/token?scope=https%3A%2F%2Fvault.azure.net', { 'X-EntraToken-Secret': SECRET }, 403],
    ['an invalid scope', '/token?scope=not%20a%20scope', { 'X-EntraToken-Secret': SECRET }, 403],
    ['an unknown path', '/admin', { 'X-EntraToken-Secret': SECRET }, 404],
  ];
  for (const [name, path, headers, status] of refusals) {
    it(`refuses ${name} with ${String(status)} and an App Service error body`, async () => {
      const answer = await get(port, path, headers);

      assert.equal(answer.status, status);
      const message: unknown = typeof answer.body === 'object' && answer.body !== null ? Reflect.get(answer.body, 'message') : undefined;
      assert.equal(typeof message, 'string');
    });
  }
});

describe('secretMatches', () => {
  it('matches only the exact secret, whatever the length presented', () => {
    assert.equal(secretMatches(SECRET, SECRET), true);
    assert.equal(secretMatches(SECRET, `${SECRET}a`), false);
    assert.equal(secretMatches(SECRET, ''), false);
    assert.equal(secretMatches(SECRET, undefined), false);
    assert.equal(secretMatches(SECRET, [SECRET]), false);
  });
});
