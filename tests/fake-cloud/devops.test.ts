import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { decodeJwt, nowSeconds } from './jwt';
import { startFakeCloud } from './index';
import type { FakeCloud, ServiceConnectionRecord } from './index';
import { exchange, jsonBody, mintOidcToken, requestOidcToken, send, stringField } from './test-helpers';

describe('fake Azure DevOps', () => {
  let cloud: FakeCloud;
  let ca: string;
  const tenantId = randomUUID();
  const vstoken: ServiceConnectionRecord = { id: randomUUID(), name: 'prod-conn', projectName: 'Fabrikam', tenantId, issuerFormat: 'vstoken' };
  const entra: ServiceConnectionRecord = { id: randomUUID(), name: 'entra-conn', projectName: 'Fabrikam', tenantId, issuerFormat: 'entra' };

  before(async () => {
    cloud = await startFakeCloud({ organizationName: 'contoso' });
    ca = readFileSync(cloud.caFile, 'utf8');
    cloud.addConnection(vstoken);
    cloud.addConnection(entra);
  });

  after(async () => {
    await cloud.close();
  });

  describe('OIDC token issuance', () => {
    it('issues a vstoken-format token', async () => {
      const notBefore = nowSeconds();

      const token = await mintOidcToken(cloud, ca, vstoken.id);

      const jwt = decodeJwt(token);
      assert.ok(jwt);
      assert.equal(jwt.header.alg, 'RS256');
      assert.equal(jwt.header.typ, 'JWT');
      assert.equal(typeof jwt.header.kid, 'string');
      assert.equal(jwt.payload['iss'], `https://vstoken.dev.azure.com/${cloud.organizationId}`);
      assert.equal(jwt.payload['sub'], 'sc://contoso/Fabrikam/prod-conn');
      assert.equal(jwt.payload['aud'], 'api://AzureADTokenExchange');
      const exp = jwt.payload['exp'];
      assert.ok(typeof exp === 'number' && exp >= notBefore + 600 && exp <= nowSeconds() + 600);
      assert.equal(typeof jwt.payload['jti'], 'string');
      assert.deepEqual(cloud.issuedOidcTokens.at(-1), token);
    });

    it('issues an entra-format token', async () => {
      const token = await mintOidcToken(cloud, ca, entra.id);

      const jwt = decodeJwt(token);
      assert.ok(jwt);
      assert.equal(jwt.payload['iss'], `https://login.microsoftonline.com/${tenantId}/v2.0`);
      assert.equal(jwt.payload['sub'], cloud.subjectFor(entra));
      assert.match(cloud.subjectFor(entra), new RegExp(`^/eid1/c/pub/t/[A-Za-z0-9_-]{22}/a/rISbSSETf0KqFyZ8ppdXmA/sc/${cloud.organizationId}/${entra.id}$`));
      assert.equal(cloud.issuerFor(entra), jwt.payload['iss']);
    });

    it('answers 401 with a TF400813 body without the job token', async () => {
      const url = `${cloud.oidcRequestUri}?api-version=7.1&serviceConnectionId=${vstoken.id}`;

      const result = await send(url, { ca, method: 'POST', headers: { Authorization: 'Bearer not-the-job-token' } });

      assert.equal(result.status, 401);
      const body = jsonBody(result);
      assert.equal(body['typeKey'], 'UnauthorizedRequestException');
      assert.match(stringField(body, 'message'), /^TF400813: /);
    });

    it('answers 400 without api-version', async () => {
      const url = `${cloud.oidcRequestUri}?serviceConnectionId=${vstoken.id}`;

      const result = await send(url, { ca, method: 'POST', headers: { Authorization: `Bearer ${cloud.jobToken}` } });

      assert.equal(result.status, 400);
      assert.match(stringField(jsonBody(result), 'message'), /api-version/);
    });

    it('answers 400 for an unknown service connection', async () => {
      const result = await requestOidcToken(cloud, ca, randomUUID());

      assert.equal(result.status, 400);
      assert.equal(jsonBody(result)['typeKey'], 'InvalidServiceConnectionException');
    });
  });

  describe('connectionData', () => {
    const connectionDataUrl = (): string => `${cloud.collectionUri}_apis/connectionData?connectOptions=1`;

    async function accessTokenFor(member: boolean): Promise<{ token: string; objectId: string }> {
      const clientId = randomUUID();
      const objectId = randomUUID();
      cloud.addApp({
        tenantId, clientId, objectId, displayName: 'pipeline-app', organizationMember: member,
        federatedCredentials: [{ issuer: cloud.issuerFor(vstoken), subject: cloud.subjectFor(vstoken) }],
      });
      const result = await exchange(cloud, ca, { tenantId, clientId, assertion: await mintOidcToken(cloud, ca, vstoken.id) });
      return { token: stringField(jsonBody(result), 'access_token'), objectId };
    }

    it('describes the service principal for an organization member', async () => {
      const { token, objectId } = await accessTokenFor(true);

      const result = await send(connectionDataUrl(), { ca, headers: { Authorization: `Bearer ${token}` } });

      assert.equal(result.status, 200);
      const body = jsonBody(result);
      assert.equal(body['instanceId'], cloud.organizationId);
      assert.equal(body['deploymentType'], 'hosted');
      const user = body['authenticatedUser'];
      assert.ok(typeof user === 'object' && user !== null);
      assert.equal('id' in user ? user.id : undefined, objectId);
      assert.equal('providerDisplayName' in user ? user.providerDisplayName : undefined, 'pipeline-app');
    });

    it('answers 401 for a service principal that is not in the organization', async () => {
      const { token } = await accessTokenFor(false);

      const result = await send(connectionDataUrl(), { ca, headers: { Authorization: `Bearer ${token}` } });

      assert.equal(result.status, 401);
      assert.equal(result.headers['www-authenticate'], 'Bearer');
    });

    it('answers 401 for the job token or no token', async () => {
      const withJobToken = await send(connectionDataUrl(), { ca, headers: { Authorization: `Bearer ${cloud.jobToken}` } });
      const anonymous = await send(connectionDataUrl(), { ca });

      assert.equal(withJobToken.status, 401);
      assert.equal(anonymous.status, 401);
    });
  });

  describe('locations and unknown routes', () => {
    it('answers OPTIONS location requests and records them', async () => {
      const result = await send(`${cloud.collectionUri}_apis/Location`, { ca, method: 'OPTIONS' });

      assert.equal(result.status, 200);
      assert.deepEqual(jsonBody(result), { count: 0, value: [] });
      assert.deepEqual(cloud.requests.at(-1)?.method, 'OPTIONS');
    });

    it('answers 404 JSON for unknown paths and records them', async () => {
      const result = await send(`${cloud.url}/nowhere?x=1`, { ca });

      assert.equal(result.status, 404);
      const last = cloud.requests.at(-1);
      assert.equal(last?.path, '/nowhere');
      assert.equal(last.status, 404);
      assert.equal(last.host, `127.0.0.1:${cloud.port}`);
    });
  });
});
