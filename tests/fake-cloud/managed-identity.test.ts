import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createTestCertificates, startFakeCloud } from './index';
import type { FakeCloud, TestCertificates } from './index';
import { jsonBody, send, stringField } from './test-helpers';
import type { HttpResult } from './test-helpers';
import { testTempDir } from '../temp';

describe('fake App Service managed identity endpoint', () => {
  let certificates: TestCertificates;
  let cloud: FakeCloud;
  let ca: string;
  const tenantId = randomUUID();
  const systemAssigned = { tenantId, clientId: randomUUID(), objectId: randomUUID(), displayName: 'web-app', default: true };
  const userAssigned = { tenantId, clientId: randomUUID(), objectId: randomUUID() };

  before(async () => {
    certificates = createTestCertificates(testTempDir('managed-identity-test-'));
    ca = certificates.caPem;
    cloud = await startFakeCloud({ certificates });
    cloud.addManagedIdentity(systemAssigned);
    cloud.addManagedIdentity(userAssigned);
  });

  after(async () => {
    await cloud.close();
  });

  /** header null sends no X-IDENTITY-HEADER at all. */
  function getToken(query: Record<string, string>, header: string | null = cloud.identityHeader): Promise<HttpResult> {
    const params = new URLSearchParams({ 'api-version': '2019-08-01', resource: '499b84ac-1321-427f-aa17-267ca6975798', ...query });
    return send(`${cloud.managedIdentityEndpoint}?${params.toString()}`, {
      ca,
      headers: header === null ? {} : { 'X-IDENTITY-HEADER': header },
    });
  }

  it('serves the endpoint under the fake cloud URL with a random identity header', () => {
    assert.equal(cloud.managedIdentityEndpoint, `${cloud.url}/msi/token`);
    assert.match(cloud.identityHeader, /^[0-9a-f]{48}$/);
  });

  it("issues the default identity's token in the App Service shape", async () => {
    const before = Math.floor(Date.now() / 1000);

    const result = await getToken({});

    assert.equal(result.status, 200, result.body);
    const body = jsonBody(result);
    assert.deepEqual(Object.keys(body).sort(), ['access_token', 'client_id', 'expires_on', 'resource', 'token_type']);
    assert.equal(body['token_type'], 'Bearer');
    assert.equal(body['resource'], '499b84ac-1321-427f-aa17-267ca6975798');
    assert.equal(body['client_id'], systemAssigned.clientId);
    const expiresOn = Number(stringField(body, 'expires_on'));
    assert.ok(expiresOn >= before + 3599 && expiresOn <= Math.floor(Date.now() / 1000) + 3599, String(expiresOn));
    const token = stringField(body, 'access_token');
    assert.deepEqual(cloud.verifyAccessToken(token), {
      ...cloud.verifyAccessToken(token),
      aud: '499b84ac-1321-427f-aa17-267ca6975798',
      appid: systemAssigned.clientId,
      oid: systemAssigned.objectId,
      tid: tenantId,
    });
    assert.equal(cloud.issuedAccessTokens.at(-1), token);
  });

  it('picks a user-assigned identity by client_id or principal_id and keeps URI audiences', async () => {
    const byClientId = await getToken({ client_id: userAssigned.clientId, resource: 'https://management.azure.com/' });
    const byPrincipalId = await getToken({ principal_id: userAssigned.objectId });

    const claims = cloud.verifyAccessToken(stringField(jsonBody(byClientId), 'access_token'));
    assert.deepEqual([claims?.appid, claims?.aud], [userAssigned.clientId, 'https://management.azure.com/']);
    assert.equal(jsonBody(byPrincipalId)['client_id'], userAssigned.clientId);
  });

  it('answers 400 with an App Service error for an unknown client_id', async () => {
    const result = await getToken({ client_id: randomUUID() });

    assert.equal(result.status, 400);
    const body = jsonBody(result);
    assert.equal(body['statusCode'], 400);
    assert.match(stringField(body, 'message'), /No User Assigned or Delegated Managed Identity found/);
    assert.equal(typeof body['correlationId'], 'string');
  });

  it('answers 401 without or with a wrong X-IDENTITY-HEADER', async () => {
    const missing = await getToken({}, null);
    const wrong = await getToken({}, 'guessed');

    assert.deepEqual([missing.status, wrong.status], [401, 401]);
    assert.match(stringField(jsonBody(wrong), 'message'), /X-IDENTITY-HEADER/);
  });

  it('answers 400 for a missing api-version or resource', async () => {
    const noVersion = await send(`${cloud.managedIdentityEndpoint}?resource=x`, {
      ca,
      headers: { 'X-IDENTITY-HEADER': cloud.identityHeader },
    });
    const noResource = await getToken({ resource: '' });

    assert.deepEqual([noVersion.status, noResource.status], [400, 400]);
  });

  it('accepts injected faults on the managedIdentity route', async () => {
    cloud.inject('managedIdentity', { status: 503, body: '{"statusCode":503,"message":"busy"}' });

    const faulted = await getToken({});
    const normal = await getToken({});

    assert.deepEqual([faulted.status, normal.status], [503, 200]);
    assert.deepEqual(
      cloud.requests.slice(-2).map((r) => [r.path, r.status]),
      [
        ['/msi/token', 503],
        ['/msi/token', 200],
      ],
    );
  });

  it('lets connectionData accept a managed identity token (members by default)', async () => {
    const token = stringField(jsonBody(await getToken({ client_id: userAssigned.clientId })), 'access_token');

    const result = await send(`${cloud.collectionUri}_apis/connectionData`, { ca, headers: { Authorization: `Bearer ${token}` } });

    assert.equal(result.status, 200, result.body);
    const user = jsonBody(result)['authenticatedUser'];
    assert.ok(typeof user === 'object' && user !== null && 'id' in user);
    assert.equal(user.id, userAssigned.objectId);
  });

  describe('without a default identity', () => {
    let bare: FakeCloud;

    before(async () => {
      bare = await startFakeCloud({ certificates });
      bare.addManagedIdentity({ tenantId: randomUUID(), clientId: randomUUID() });
    });

    after(async () => {
      await bare.close();
    });

    it('answers 400 when the request names no identity', async () => {
      const result = await send(`${bare.managedIdentityEndpoint}?api-version=2019-08-01&resource=r`, {
        ca,
        headers: { 'X-IDENTITY-HEADER': bare.identityHeader },
      });

      assert.equal(result.status, 400);
      assert.match(stringField(jsonBody(result), 'message'), /No system-assigned managed identity/);
    });
  });
});
