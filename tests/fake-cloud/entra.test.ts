import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { base64UrlEncode, createSigningKey, decodeJwt, nowSeconds, signJwt } from './jwt';
import { createTestCertificates } from './index';
import { startFederatedCloud } from './federated-cloud';
import type { FakeCloud, ServiceConnectionRecord, TestCertificates } from './index';
import { aadstsCode, exchange, jsonBody, mintOidcToken, send, stringField } from './test-helpers';
import { testTempDir } from '../temp';

describe('fake Entra', () => {
  let certificates: TestCertificates;
  let cloud: FakeCloud;
  let ca: string;
  const tenantId = randomUUID();
  const connection: ServiceConnectionRecord = { id: randomUUID(), name: 'deploy', projectName: 'Web', tenantId, issuerFormat: 'vstoken' };
  const clientId = randomUUID();
  const objectId = randomUUID();

  before(async () => {
    certificates = createTestCertificates(testTempDir('entra-test-'));
    ({ cloud, ca } = await startFederatedCloud(connection, { tenantId, clientId, objectId, displayName: 'deployer' }, { certificates }));
  });

  after(async () => {
    await cloud.close();
  });

  describe('discovery', () => {
    it('serves openid-configuration built from the Host header', async () => {
      const result = await send(`${cloud.url}/${tenantId}/v2.0/.well-known/openid-configuration`, { ca });

      assert.equal(result.status, 200);
      const body = jsonBody(result);
      assert.equal(body['token_endpoint'], `${cloud.url}/${tenantId}/oauth2/v2.0/token`);
      assert.equal(body['issuer'], `${cloud.url}/${tenantId}/v2.0`);
      for (const field of ['authorization_endpoint', 'jwks_uri', 'end_session_endpoint', 'device_authorization_endpoint']) {
        assert.ok(stringField(body, field).startsWith(`${cloud.url}/${tenantId}/`), field);
      }
    });

    it('answers AADSTS90002 for an unknown tenant', async () => {
      const result = await send(`${cloud.url}/${randomUUID()}/v2.0/.well-known/openid-configuration`, { ca });

      assert.equal(result.status, 400);
      assert.equal(aadstsCode(result), 90002);
    });

    it('serves instance discovery for the requested authority', async () => {
      const authorize = encodeURIComponent(`${cloud.url}/${tenantId}/oauth2/v2.0/authorize`);

      const result = await send(`${cloud.url}/common/discovery/instance?api-version=1.1&authorization_endpoint=${authorize}`, { ca });

      assert.equal(result.status, 200);
      assert.deepEqual(jsonBody(result), {
        tenant_discovery_endpoint: `${cloud.url}/${tenantId}/v2.0/.well-known/openid-configuration`,
        'api-version': '1.1',
        metadata: [
          {
            preferred_network: `127.0.0.1:${cloud.port}`,
            preferred_cache: `127.0.0.1:${cloud.port}`,
            aliases: [`127.0.0.1:${cloud.port}`],
          },
        ],
      });
    });
  });

  describe('token exchange', () => {
    it('issues an access token for a matching federated credential', async () => {
      const assertion = await mintOidcToken(cloud, ca, connection.id);

      const result = await exchange(cloud, ca, { tenantId, clientId, assertion });

      assert.equal(result.status, 200, result.body);
      const body = jsonBody(result);
      assert.equal(body['token_type'], 'Bearer');
      assert.equal(body['expires_in'], 3599);
      const claims = cloud.verifyAccessToken(stringField(body, 'access_token'));
      assert.ok(claims);
      assert.equal(claims.aud, '499b84ac-1321-427f-aa17-267ca6975798');
      assert.equal(claims.iss, `https://sts.windows.net/${tenantId}/`);
      assert.equal(claims.appid, clientId);
      assert.equal(claims.oid, objectId);
      assert.equal(claims.tid, tenantId);
      assert.equal(cloud.issuedAccessTokens.at(-1), body['access_token']);
    });

    it('keeps a URI resource as a URI audience', async () => {
      const assertion = await mintOidcToken(cloud, ca, connection.id);

      const result = await exchange(cloud, ca, { tenantId, clientId, assertion, scope: 'https://management.azure.com//.default' });

      assert.equal(cloud.verifyAccessToken(stringField(jsonBody(result), 'access_token'))?.aud, 'https://management.azure.com/');
    });

    it('refuses a subject with no matching credential (AADSTS700213)', async () => {
      const other: ServiceConnectionRecord = { ...connection, id: randomUUID(), name: 'Deploy' };
      cloud.addConnection(other);
      const assertion = await mintOidcToken(cloud, ca, other.id);

      const result = await exchange(cloud, ca, { tenantId, clientId, assertion });

      assert.equal(result.status, 400);
      assert.equal(jsonBody(result)['error'], 'invalid_client');
      assert.equal(aadstsCode(result), 700213);
      assert.match(
        stringField(jsonBody(result), 'error_description'),
        /subject 'sc:\/\/contoso\/Web\/Deploy'.*Trace ID: .* Correlation ID: .* Timestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/,
      );
    });

    it('refuses an app without federated credentials (AADSTS70025)', async () => {
      const bare = randomUUID();
      cloud.addApp({ tenantId, clientId: bare, federatedCredentials: [] });

      const result = await exchange(cloud, ca, { tenantId, clientId: bare, assertion: await mintOidcToken(cloud, ca, connection.id) });

      assert.equal(aadstsCode(result), 70025);
    });

    it('refuses an app that is not in the tenant (AADSTS700016)', async () => {
      const result = await exchange(cloud, ca, {
        tenantId,
        clientId: randomUUID(),
        assertion: await mintOidcToken(cloud, ca, connection.id),
      });

      assert.equal(result.status, 400);
      assert.equal(jsonBody(result)['error'], 'unauthorized_client');
      assert.equal(aadstsCode(result), 700016);
    });

    it('refuses an unknown tenant (AADSTS90002)', async () => {
      const result = await exchange(cloud, ca, {
        tenantId: randomUUID(),
        clientId,
        assertion: await mintOidcToken(cloud, ca, connection.id),
      });

      assert.equal(aadstsCode(result), 90002);
    });

    it('refuses a disabled app (AADSTS7000112)', async () => {
      const disabled = randomUUID();
      cloud.addApp({
        tenantId,
        clientId: disabled,
        disabled: true,
        federatedCredentials: [{ issuer: cloud.issuerFor(connection), subject: cloud.subjectFor(connection) }],
      });

      const result = await exchange(cloud, ca, { tenantId, clientId: disabled, assertion: await mintOidcToken(cloud, ca, connection.id) });

      assert.equal(aadstsCode(result), 7000112);
    });

    it('refuses an assertion from an issuer it has no key for (AADSTS700211) and garbage (AADSTS50027)', async () => {
      const now = nowSeconds();
      const foreign = signJwt(createSigningKey(), {
        iss: 'https://evil.example/',
        sub: 'x',
        aud: 'api://AzureADTokenExchange',
        exp: now + 60,
      });

      const unknownIssuer = await exchange(cloud, ca, { tenantId, clientId, assertion: foreign });
      const garbage = await exchange(cloud, ca, { tenantId, clientId, assertion: 'not-a-jwt' });

      assert.equal(unknownIssuer.status, 401);
      assert.equal(aadstsCode(unknownIssuer), 700211);
      assert.equal(garbage.status, 401);
      assert.equal(aadstsCode(garbage), 50027);
    });

    it('refuses an audience no credential accepts (AADSTS700212)', async () => {
      const custom = randomUUID();
      cloud.addApp({
        tenantId,
        clientId: custom,
        federatedCredentials: [{ issuer: cloud.issuerFor(connection), subject: cloud.subjectFor(connection), audience: 'api://custom' }],
      });

      const result = await exchange(cloud, ca, { tenantId, clientId: custom, assertion: await mintOidcToken(cloud, ca, connection.id) });

      assert.equal(aadstsCode(result), 700212);
    });

    it('refuses an assertion whose payload was changed (AADSTS700027)', async () => {
      const jwt = decodeJwt(await mintOidcToken(cloud, ca, connection.id));
      assert.ok(jwt);
      const [header] = jwt.signingInput.split('.');
      const forged = `${header ?? ''}.${base64UrlEncode(JSON.stringify({ ...jwt.payload, sub: 'sc://contoso/Web/other' }))}.${jwt.signature.toString('base64url')}`;

      const result = await exchange(cloud, ca, { tenantId, clientId, assertion: forged });

      assert.equal(result.status, 401);
      assert.equal(aadstsCode(result), 700027);
    });
  });

  describe('expired assertions', () => {
    let expiring: FakeCloud;

    before(async () => {
      ({ cloud: expiring } = await startFederatedCloud(connection, { tenantId, clientId }, { oidcLifetimeSeconds: -1, certificates }));
    });

    after(async () => {
      await expiring.close();
    });

    it('refuses an expired assertion (AADSTS700024)', async () => {
      const assertion = await mintOidcToken(expiring, ca, connection.id);

      const result = await exchange(expiring, ca, { tenantId, clientId, assertion });

      assert.equal(result.status, 400);
      assert.equal(aadstsCode(result), 700024);
    });
  });

  describe('verifyAccessToken', () => {
    it('accepts an issued token and rejects a tampered one', async () => {
      const result = await exchange(cloud, ca, { tenantId, clientId, assertion: await mintOidcToken(cloud, ca, connection.id) });
      const token = stringField(jsonBody(result), 'access_token');
      const jwt = decodeJwt(token);
      assert.ok(jwt);
      const [header] = jwt.signingInput.split('.');
      const tampered = `${header ?? ''}.${base64UrlEncode(JSON.stringify({ ...jwt.payload, appid: randomUUID() }))}.${jwt.signature.toString('base64url')}`;

      assert.equal(cloud.verifyAccessToken(token)?.appid, clientId);
      assert.equal(cloud.verifyAccessToken(tampered), undefined);
      assert.equal(cloud.verifyAccessToken(signJwt(createSigningKey(), { aud: 'x', exp: nowSeconds() + 60 })), undefined);
    });
  });
});
