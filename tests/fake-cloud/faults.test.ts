import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startFederatedCloud } from './federated-cloud';
import type { FakeCloud, ServiceConnectionRecord } from './index';
import { exchange, jsonBody, mintOidcToken, requestOidcToken, send } from './test-helpers';

describe('fake cloud fault injection', () => {
  let cloud: FakeCloud;
  let ca: string;
  const tenantId = randomUUID();
  const clientId = randomUUID();
  const connection: ServiceConnectionRecord = { id: randomUUID(), name: 'c', projectName: 'p', tenantId, issuerFormat: 'vstoken' };

  before(async () => {
    ({ cloud, ca } = await startFederatedCloud(connection, { tenantId, clientId }));
  });

  after(async () => {
    await cloud.close();
  });

  it('answers an injected 429 with Retry-After, then behaves normally', async () => {
    cloud.inject('oidc', { status: 429, headers: { 'Retry-After': '1' }, body: '{"message":"slow down"}' });

    const throttled = await requestOidcToken(cloud, ca, connection.id);
    const normal = await requestOidcToken(cloud, ca, connection.id);

    assert.equal(throttled.status, 429);
    assert.equal(throttled.headers['retry-after'], '1');
    assert.deepEqual(jsonBody(throttled), { message: 'slow down' });
    assert.equal(normal.status, 200);
    assert.deepEqual(
      cloud.requests.slice(-2).map((r) => r.status),
      [429, 200],
    );
  });

  it('consumes faults in order and honours times', async () => {
    cloud.inject('token', { status: 503, times: 2 });
    cloud.inject('token', { status: 500, body: 'boom' });
    const assertion = await mintOidcToken(cloud, ca, connection.id);

    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      statuses.push((await exchange(cloud, ca, { tenantId, clientId, assertion })).status);
    }

    assert.deepEqual(statuses, [503, 503, 500, 200]);
  });

  it('delays a response by delayMs and records the time taken', async () => {
    cloud.inject('openid', { status: 200, body: '{}', delayMs: 150 });

    const result = await send(`${cloud.url}/${tenantId}/v2.0/.well-known/openid-configuration`, { ca });

    assert.equal(result.status, 200);
    assert.ok((cloud.requests.at(-1)?.ms ?? 0) >= 140);
  });

  it('drops the connection for status 0', async () => {
    cloud.inject('connectionData', { status: 0 });

    await assert.rejects(send(`${cloud.collectionUri}_apis/connectionData`, { ca }), /socket hang up|ECONNRESET/);

    assert.equal(cloud.requests.at(-1)?.status, 0);
  });
});
