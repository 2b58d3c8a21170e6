import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startFederatedCloud, startPublicCloudProxy } from './federated-cloud';
import type { ConnectProxy, FakeCloud, ServiceConnectionRecord } from './index';
import { isJsonObject } from './jwt';
import type { JsonObject } from './jwt';
import { exchange, jsonBody, mintOidcToken, openTunnel, send, stringField } from './test-helpers';
import type { HttpResult } from './test-helpers';

const ARM_SCOPE = 'https://management.core.windows.net//.default';
const DEVOPS_SCOPE = '499b84ac-1321-427f-aa17-267ca6975798/.default';

function armErrorCode(result: HttpResult): string {
  const error = jsonBody(result)['error'];
  assert.ok(isJsonObject(error), result.body);
  return stringField(error, 'code');
}

function listValues(result: HttpResult): JsonObject[] {
  const value = jsonBody(result)['value'];
  assert.ok(Array.isArray(value), result.body);
  return value.filter(isJsonObject);
}

describe('fake ARM subscription and tenant lists', function () {
  this.timeout(20000);
  let cloud: FakeCloud;
  let ca: string;
  let proxy: ConnectProxy;
  const tenantId = randomUUID();
  const clientId = randomUUID();
  const subscriptionId = randomUUID();
  const connection: ServiceConnectionRecord = { id: randomUUID(), name: 'arm', projectName: 'p', tenantId, issuerFormat: 'entra' };

  before(async () => {
    ({ cloud, ca } = await startFederatedCloud(connection, {
      tenantId,
      clientId,
      subscriptions: [{ subscriptionId, displayName: 'Prod' }],
    }));
    proxy = await startPublicCloudProxy(cloud);
  });

  after(async () => {
    await proxy.close();
    await cloud.close();
  });

  async function tokenFor(scope: string): Promise<string> {
    const assertion = await mintOidcToken(cloud, ca, connection.id);
    const result = await exchange(cloud, ca, { tenantId, clientId, assertion, scope });
    assert.equal(result.status, 200, result.body);
    return stringField(jsonBody(result), 'access_token');
  }

  function getArm(path: string, token?: string): Promise<HttpResult> {
    const headers: Record<string, string> = token === undefined ? {} : { Authorization: `Bearer ${token}` };
    return send(`${cloud.armUrl}${path}`, { ca, headers });
  }

  it('lists the app subscriptions for a valid ARM token', async () => {
    const token = await tokenFor(ARM_SCOPE);

    const result = await getArm('/subscriptions?api-version=2022-12-01', token);

    assert.equal(result.status, 200, result.body);
    const [subscription] = listValues(result);
    assert.equal(subscription?.['subscriptionId'], subscriptionId);
    assert.equal(subscription['tenantId'], tenantId);
    assert.equal(subscription['displayName'], 'Prod');
  });

  it('lists the home tenant for a valid ARM token', async () => {
    const token = await tokenFor(ARM_SCOPE);

    const result = await getArm('/tenants?api-version=2022-12-01', token);

    assert.equal(result.status, 200, result.body);
    assert.deepEqual(
      listValues(result).map((t) => t['tenantId']),
      [tenantId],
    );
  });

  it('refuses a token for another audience with InvalidAuthenticationTokenAudience', async () => {
    const token = await tokenFor(DEVOPS_SCOPE);

    const result = await getArm('/subscriptions?api-version=2022-12-01', token);

    assert.equal(result.status, 401);
    assert.equal(armErrorCode(result), 'InvalidAuthenticationTokenAudience');
    assert.match(String(result.headers['www-authenticate']), /^Bearer authorization_uri=/);
  });

  it('refuses a request without a token with AuthenticationFailed', async () => {
    const result = await getArm('/subscriptions?api-version=2022-12-01');

    assert.equal(result.status, 401);
    assert.equal(armErrorCode(result), 'AuthenticationFailed');
  });

  it('refuses a token not signed by the fake Entra', async () => {
    const token = await tokenFor(ARM_SCOPE);
    const [header, payload] = token.split('.');
    const forged = `${header ?? ''}.${payload ?? ''}.${Buffer.from('forged').toString('base64url')}`;

    const result = await getArm('/tenants?api-version=2022-12-01', forged);

    assert.equal(result.status, 401);
    assert.equal(armErrorCode(result), 'InvalidAuthenticationToken');
  });

  it('requires api-version', async () => {
    const token = await tokenFor(ARM_SCOPE);

    const result = await getArm('/subscriptions', token);

    assert.equal(result.status, 400);
    assert.equal(armErrorCode(result), 'MissingApiVersionParameter');
  });

  it('answers as management.azure.com through the public cloud proxy', async () => {
    const token = await tokenFor(ARM_SCOPE);
    const tunnel = await openTunnel(proxy.url, 'management.azure.com:443');
    assert.equal(tunnel.status, 200);

    const result = await send('https://management.azure.com/subscriptions?api-version=2022-12-01', {
      ca,
      headers: { Authorization: `Bearer ${token}` },
      tunnel: tunnel.socket,
    });

    assert.equal(result.status, 200, result.body);
    assert.equal(cloud.requests.at(-1)?.host, 'management.azure.com');
  });

  it('lists no subscriptions for an app registered with none', async () => {
    const otherClient = randomUUID();
    cloud.addApp({
      tenantId,
      clientId: otherClient,
      subscriptions: [],
      federatedCredentials: [{ issuer: cloud.issuerFor(connection), subject: cloud.subjectFor(connection) }],
    });
    const assertion = await mintOidcToken(cloud, ca, connection.id);
    const token = stringField(
      jsonBody(await exchange(cloud, ca, { tenantId, clientId: otherClient, assertion, scope: ARM_SCOPE })),
      'access_token',
    );

    const result = await getArm('/subscriptions?api-version=2022-12-01', token);

    assert.equal(result.status, 200, result.body);
    assert.deepEqual(listValues(result), []);
  });
});
