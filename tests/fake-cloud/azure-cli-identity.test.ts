// Documented facts: what `az login --identity` in azure-cli 2.45 (msrestazure underneath) sends, so the token
// service knows which managed identity protocol a later az step speaks. Recorders stand in for the endpoints
// and forward token requests to the fake cloud's managed identity endpoint; nothing reaches the network.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  azGetAccessToken,
  azJsonArray,
  azJsonObject,
  azureCliSkipReason,
  AZURE_DEVOPS_RESOURCE,
  createAzureCli,
  describeAzResult,
} from './azure-cli';
import type { AzureCli } from './azure-cli';
import { startPublicCloudProxy } from './federated-cloud';
import { startHttpRecorder } from './http-recorder';
import type { HttpRecorder, RecordedRequest, Responder } from './http-recorder';
import { startFakeCloud } from './index';
import type { ConnectProxy, FakeCloud } from './index';
import { send, stringField } from './test-helpers';

const ARM_RESOURCE = 'https://management.core.windows.net/';
const tenantId = randomUUID();
const miClientId = randomUUID();
const subscriptionId = randomUUID();

/** The resource a request asks for: form body (MSI_ENDPOINT 2017 POST) or query (App Service GET, IMDS). */
function requestedResource(request: RecordedRequest): string | undefined {
  const query = new URL(request.url, 'http://recorder').searchParams.get('resource');
  return query ?? new URLSearchParams(request.body).get('resource') ?? undefined;
}

describe('az login --identity in azure-cli 2.45 (recorded protocol)', function () {
  this.timeout(120000);
  let cloud: FakeCloud | undefined;
  let proxy: ConnectProxy | undefined;
  const recorders: HttpRecorder[] = [];
  const msiSecret = randomBytes(16).toString('hex');

  before(async function () {
    const reason = azureCliSkipReason();
    if (reason !== undefined) {
      console.log(`      skipped: ${reason}`);
      this.skip();
    }
    cloud = await startFakeCloud();
    cloud.addManagedIdentity({ tenantId, clientId: miClientId, default: true, subscriptions: [{ subscriptionId, displayName: 'MI sub' }] });
    proxy = await startPublicCloudProxy(cloud);
  });

  function started(): { cloud: FakeCloud; proxy: ConnectProxy } {
    if (cloud === undefined || proxy === undefined) throw new Error('The fake cloud did not start');
    return { cloud, proxy };
  }

  after(async () => {
    for (const recorder of recorders) await recorder.close();
    await proxy?.close();
    await cloud?.close();
  });

  /** Answers any token request with a real token from the fake's managed identity endpoint. */
  const forwardToFake: Responder = async (request) => {
    const { cloud } = started();
    const resource = requestedResource(request) ?? '';
    const query = new URLSearchParams({ resource, 'api-version': '2019-08-01' });
    const result = await send(`${cloud.managedIdentityEndpoint}?${query.toString()}`, {
      ca: readFileSync(cloud.caFile, 'utf8'),
      headers: { 'X-IDENTITY-HEADER': cloud.identityHeader },
    });
    return { status: result.status, headers: { 'Content-Type': 'application/json' }, body: result.body };
  };

  async function recorder(respond?: Responder): Promise<HttpRecorder> {
    const started = await startHttpRecorder(respond);
    recorders.push(started);
    return started;
  }

  function cli(env: Record<string, string>, httpProxyUrl?: string): AzureCli {
    const { cloud, proxy } = started();
    return createAzureCli({ proxyUrl: proxy.url, caFile: cloud.caFile, env, ...(httpProxyUrl === undefined ? {} : { httpProxyUrl }) });
  }

  it('with MSI_ENDPOINT: POSTs the form resource=… with Metadata: true and never sends MSI_SECRET', async () => {
    const msi = await recorder(forwardToFake);
    const az = cli({ MSI_ENDPOINT: `${msi.url}/msi/token`, MSI_SECRET: msiSecret });

    const login = await az.run(['login', '--identity', '--allow-no-subscriptions', '--output', 'json']);
    const token = await azGetAccessToken(az, AZURE_DEVOPS_RESOURCE);

    assert.deepEqual(
      azJsonArray(login).map((a) => a['id']),
      [subscriptionId],
      describeAzResult(login),
    );
    assert.equal(started().cloud.verifyAccessToken(stringField(azJsonObject(token), 'accessToken'))?.aud, AZURE_DEVOPS_RESOURCE);
    const first = msi.requests[0];
    assert.equal(first?.method, 'POST');
    assert.equal(first.url, '/msi/token');
    assert.equal(first.headers['metadata'], 'true');
    assert.equal(first.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(first.body, new URLSearchParams({ resource: ARM_RESOURCE }).toString());
    assert.deepEqual(new Set(msi.requests.map(requestedResource)), new Set([ARM_RESOURCE, AZURE_DEVOPS_RESOURCE]));
    assert.ok(
      msi.requests.every((r) => r.method === 'POST' && !JSON.stringify(r).includes(msiSecret)),
      'MSI_SECRET was sent',
    );
  });

  it('with MSI_ENDPOINT and APPSETTING_WEBSITE_SITE_NAME: GETs App Service 2017-09-01 with the secret header', async () => {
    const msi = await recorder(forwardToFake);
    const az = cli({ MSI_ENDPOINT: `${msi.url}/msi/token`, MSI_SECRET: msiSecret, APPSETTING_WEBSITE_SITE_NAME: 'site' });

    const login = await az.run(['login', '--identity', '--allow-no-subscriptions', '--output', 'json']);

    assert.equal(login.code, 0, describeAzResult(login, [msiSecret]));
    const first = msi.requests[0];
    assert.equal(first?.method, 'GET');
    // msrestazure appends '/?resource=' unencoded.
    assert.equal(first.url, `/msi/token/?resource=${ARM_RESOURCE}&api-version=2017-09-01`);
    assert.equal(first.headers['secret'], msiSecret);
    assert.equal(first.headers['metadata'], undefined);
  });

  it('with only IDENTITY_ENDPOINT/IDENTITY_HEADER: ignores them and asks IMDS (169.254.169.254) instead', async () => {
    const identityEndpoint = await recorder(forwardToFake);
    // HTTP_PROXY catches the IMDS request on loopback; its 400 is final for msrestazure (no retries).
    const imds = await recorder();
    const az = cli({ IDENTITY_ENDPOINT: `${identityEndpoint.url}/msi/token`, IDENTITY_HEADER: started().cloud.identityHeader }, imds.url);

    const login = await az.run(['login', '--identity', '--allow-no-subscriptions', '--output', 'json'], { timeoutMs: 30000 });

    assert.notEqual(login.code, 0, describeAzResult(login));
    assert.equal(identityEndpoint.requests.length, 0);
    const first = imds.requests[0];
    assert.equal(first?.method, 'GET');
    const url = new URL(first.url);
    assert.equal(`${url.origin}${url.pathname}`, 'http://169.254.169.254/metadata/identity/oauth2/token');
    assert.equal(url.searchParams.get('resource'), ARM_RESOURCE);
    assert.equal(url.searchParams.get('api-version'), '2018-02-01');
    assert.equal(first.headers['metadata'], 'true');
  });
});
