import assert from 'node:assert/strict';
import { request } from 'node:http';
import { TokenMinter } from '../../../../../tasks/EntraToken/v1/src/token-service/minter';
import {
  CLOUD_SHELL_REFUSAL,
  createServiceServer,
  hostAllowed,
  legacyExpiry,
  secretMatches,
} from '../../../../../tasks/EntraToken/v1/src/token-service/server';
import { RegistryTokens } from '../../../../../tasks/EntraToken/v1/src/token-service/registry-tokens';

const SECRET = 'a'.repeat(64);
const CONTROL = 'c'.repeat(64);
const CLIENT_ID = '6f1c2b9e-0d4a-4c55-9a43-0b7d2f1e8a10';

function get(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, headers, method }, (response) => {
      let text = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) });
      });
    })
      .on('error', reject)
      .end();
  });
}

function message(body: unknown): unknown {
  return typeof body === 'object' && body !== null ? Reflect.get(body, 'message') : undefined;
}

describe('token service server', () => {
  const scopes: string[] = [];
  let shutdowns = 0;
  const server = createServiceServer({
    secret: SECRET,
    controlSecret: CONTROL,
    allowedScopes: [
      '499b84ac-1321-427f-aa17-267ca6975798/.default',
      'https://graph.microsoft.com/.default',
      'https://management.azure.com/.default',
      'api://broken/.default',
    ],
    clientId: CLIENT_ID,
    minter: new TokenMinter(
      (scope) => {
        scopes.push(scope);
        if (scope === 'api://broken/.default') return Promise.reject(new Error('library said: client_assertion=job-secret-value'));
        return Promise.resolve({ token: `token-for-${scope}`, expiresOn: new Date(2_000_000_000_000) });
      },
      { issued: () => undefined, failed: () => undefined },
    ),
    redact: (text) => text.split('job-secret-value').join('***'),
    registries: new RegistryTokens(['contoso.azurecr.io'], (registry) =>
      registry === 'contoso.azurecr.io' ? Promise.resolve('refresh-for-contoso') : Promise.reject(new Error('not served')),
    ),
    summary: () => ({ pid: 42, scopes: [{ scope: 'https://graph.microsoft.com/.default', issued: 1, failed: 0 }] }),
    onShutdown: () => {
      shutdowns += 1;
    },
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
    const answer = await get(port, '/msi/token?api-version=2019-08-01&resource=https%3A%2F%2Fgraph.microsoft.com', {
      'X-IDENTITY-HEADER': SECRET,
    });

    assert.deepEqual(answer, {
      status: 200,
      body: {
        access_token: 'token-for-https://graph.microsoft.com/.default',
        expires_on: '2000000000',
        resource: 'https://graph.microsoft.com',
        token_type: 'Bearer',
        client_id: CLIENT_ID,
      },
    });
  });

  it('answers api-version 2017-09-01 with the secret header, on a path with a trailing slash, expiry as a date', async () => {
    const answer = await get(port, `/msi/token/?resource=https://graph.microsoft.com/&api-version=2017-09-01&clientid=${CLIENT_ID}`, {
      secret: SECRET,
    });

    assert.deepEqual(answer, {
      status: 200,
      body: {
        access_token: 'token-for-https://graph.microsoft.com/.default',
        expires_on: '05/18/2033 03:33:20 +00:00',
        resource: 'https://graph.microsoft.com/',
        token_type: 'Bearer',
        client_id: CLIENT_ID,
      },
    });
  });

  it('refuses the Cloud Shell protocol (a POST without secret) and says how to log in with Azure CLI instead', async () => {
    const answer = await get(port, '/msi/token', { Metadata: 'true' }, 'POST');

    assert.equal(answer.status, 405);
    assert.equal(message(answer.body), CLOUD_SHELL_REFUSAL);
    assert.match(CLOUD_SHELL_REFUSAL, /az login --service-principal .*--federated-token/);
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

  it('answers /registry with a refresh token for a configured registry, and refuses others with what to add', async () => {
    const served = await get(port, '/registry?host=Contoso.azurecr.io', { 'X-EntraToken-Secret': SECRET });
    const other = await get(port, '/registry?host=evil.example', { 'X-EntraToken-Secret': SECRET });
    const unnamed = await get(port, '/registry', { 'X-EntraToken-Secret': SECRET });
    const anonymous = await get(port, '/registry?host=contoso.azurecr.io');

    assert.deepEqual(served, { status: 200, body: { refresh_token: 'refresh-for-contoso', expires_on: null } });
    assert.equal(other.status, 403);
    assert.equal(
      message(other.body),
      "This token service does not serve registry 'evil.example'. Add it to the task's containerRegistries input.",
    );
    assert.equal(unnamed.status, 400);
    assert.equal(anonymous.status, 401);
  });

  const refusals: [string, string, Record<string, string>, number][] = [
    ['no secret', '/token', {}, 401],
    ['the managed-identity secret on the plain endpoint', '/token', { 'X-IDENTITY-HEADER': SECRET }, 401],
    [
      'an api-version the App Service protocol does not have',
      '/msi/token?api-version=2018-02-01&resource=x',
      { 'X-IDENTITY-HEADER': SECRET },
      400,
    ],
    [
      'api-version 2017-09-01 with the 2019 header',
      '/msi/token?api-version=2017-09-01&resource=https://graph.microsoft.com',
      { 'X-IDENTITY-HEADER': SECRET },
      401,
    ],
    [
      'api-version 2019-08-01 with the 2017 header',
      '/msi/token?api-version=2019-08-01&resource=https://graph.microsoft.com',
      { secret: SECRET },
      401,
    ],
    ['a wrong 2017 secret', '/msi/token?api-version=2017-09-01&resource=https://graph.microsoft.com', { secret: 'b'.repeat(64) }, 401],
    ['a scope outside the allow-list', '/token?scope=https%3A%2F%2Fvault.azure.net', { 'X-EntraToken-Secret': SECRET }, 403],
    ['an invalid scope', '/token?scope=not%20a%20scope', { 'X-EntraToken-Secret': SECRET }, 403],
    ['an unknown path', '/admin', { 'X-EntraToken-Secret': SECRET }, 404],
    [
      'another client id',
      `/msi/token?api-version=2019-08-01&resource=https://graph.microsoft.com&client_id=${'0'.repeat(8)}-0000-0000-0000-000000000000`,
      { 'X-IDENTITY-HEADER': SECRET },
      400,
    ],
    [
      'an object id',
      '/msi/token?api-version=2019-08-01&resource=https://graph.microsoft.com&object_id=x',
      { 'X-IDENTITY-HEADER': SECRET },
      400,
    ],
    [
      'a principal id',
      '/msi/token?api-version=2019-08-01&resource=https://graph.microsoft.com&principal_id=x',
      { 'X-IDENTITY-HEADER': SECRET },
      400,
    ],
    [
      'a managed identity resource id',
      '/msi/token?api-version=2019-08-01&resource=https://graph.microsoft.com&mi_res_id=%2Fsubscriptions%2Fx',
      { 'X-IDENTITY-HEADER': SECRET },
      400,
    ],
    ['a Host header with another name (DNS rebinding)', '/token', { 'X-EntraToken-Secret': SECRET, Host: 'attacker.example:80' }, 421],
    ['a Host header with another port', '/health', { Host: '127.0.0.1:1' }, 421],
    ['a shutdown without the control secret', '/shutdown', { 'X-EntraToken-Control': SECRET }, 401],
  ];
  for (const [name, path, headers, status] of refusals) {
    it(`refuses ${name} with ${String(status)} and an App Service error body`, async () => {
      const answer = await get(port, path, headers, path === '/shutdown' ? 'POST' : 'GET');

      assert.equal(answer.status, status);
      assert.equal(typeof message(answer.body), 'string');
      assert.equal(shutdowns, 0);
    });
  }

  it("names the connection's client id in the refusal of another identity", async () => {
    const answer = await get(port, '/msi/token?api-version=2019-08-01&resource=https://graph.microsoft.com&client_id=someone-else', {
      'X-IDENTITY-HEADER': SECRET,
    });

    assert.equal(answer.status, 400);
    assert.match(String(message(answer.body)), new RegExp(`client id ${CLIENT_ID}.*'client_id' names another`));
  });

  it("serves a request that names the connection's own client id, in any case", async () => {
    const answer = await get(
      port,
      `/msi/token?api-version=2019-08-01&resource=https://graph.microsoft.com&client_id=${CLIENT_ID.toUpperCase()}`,
      { 'X-IDENTITY-HEADER': SECRET },
    );

    assert.equal(answer.status, 200);
  });

  const sameScopes = [
    'https://management.azure.com/',
    'https://MANAGEMENT.azure.com',
    'https://management.azure.com//.default',
    '499B84AC-1321-427F-AA17-267CA6975798',
    '499b84ac-1321-427f-aa17-267ca6975798/',
  ];
  for (const requested of sameScopes) {
    it(`serves '${requested}' as the allowed scope it names`, async () => {
      const answer = await get(port, `/token?scope=${encodeURIComponent(requested)}`, { 'X-EntraToken-Secret': SECRET });

      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.match(String(scopes.at(-1)), /^(https:\/\/management\.azure\.com|499b84ac-1321-427f-aa17-267ca6975798)\/\.default$/);
    });
  }

  it('accepts localhost as the Host name, on its own port', async () => {
    const answer = await get(port, '/token', { 'X-EntraToken-Secret': SECRET, Host: `localhost:${String(port)}` });

    assert.equal(answer.status, 200);
  });

  it('says nothing about the process on /health', async () => {
    const answer = await get(port, '/health');

    assert.deepEqual(answer, { status: 200, body: { status: 'ok' } });
  });

  it('answers its summary to a shutdown with the control secret, then stops', async () => {
    const answer = await get(port, '/shutdown', { 'X-EntraToken-Control': CONTROL }, 'POST');
    await new Promise((resolve) => setImmediate(resolve));

    assert.deepEqual(answer, {
      status: 200,
      body: { pid: 42, scopes: [{ scope: 'https://graph.microsoft.com/.default', issued: 1, failed: 0 }] },
    });
    assert.equal(shutdowns, 1);
  });
});

describe('hostAllowed', () => {
  it("allows only the loopback address or localhost with the service's port", () => {
    assert.equal(hostAllowed('127.0.0.1:8080', 8080), true);
    assert.equal(hostAllowed('LOCALHOST:8080', 8080), true);
    assert.equal(hostAllowed('127.0.0.1', 8080), false);
    assert.equal(hostAllowed('127.0.0.1:8081', 8080), false);
    assert.equal(hostAllowed('127.0.0.2:8080', 8080), false);
    assert.equal(hostAllowed(undefined, 8080), false);
  });
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

describe('legacyExpiry: the 2017-09-01 expires_on', () => {
  it('writes the UTC date as MM/DD/YYYY HH:MM:SS +00:00, zero-padded', () => {
    const text = legacyExpiry(new Date(Date.UTC(2026, 0, 5, 7, 8, 9)));

    assert.equal(text, '01/05/2026 07:08:09 +00:00');
  });
});
