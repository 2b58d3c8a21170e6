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
  const vstoken: ServiceConnectionRecord = {
    id: randomUUID(),
    name: 'prod-conn',
    projectName: 'Fabrikam',
    tenantId,
    issuerFormat: 'vstoken',
  };
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
      assert.match(
        cloud.subjectFor(entra),
        new RegExp(`^/eid1/c/pub/t/[A-Za-z0-9_-]{22}/a/rISbSSETf0KqFyZ8ppdXmA/sc/${cloud.organizationId}/${entra.id}$`),
      );
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

    const versions: [string, number, string | undefined][] = [
      ['7.1', 200, undefined],
      ['7.1-preview', 200, undefined],
      ['7.1-preview.1', 200, undefined],
      ['7.2-preview.1', 200, undefined],
      ['7.2', 400, 'VssInvalidPreviewVersionException'],
      ['9.0', 400, 'VssVersionOutOfRangeException'],
      ['latest', 400, 'VssInvalidApiVersionException'],
    ];
    for (const [version, status, typeKey] of versions) {
      it(`answers api-version=${version} with ${String(status)}${typeKey === undefined ? '' : ` ${typeKey}`}`, async () => {
        const url = `${cloud.oidcRequestUri}?api-version=${version}&serviceConnectionId=${vstoken.id}`;

        const result = await send(url, { ca, method: 'POST', headers: { Authorization: `Bearer ${cloud.jobToken}` } });

        assert.equal(result.status, status, result.body);
        assert.equal(jsonBody(result)['typeKey'], typeKey);
      });
    }

    it('reads api-version from the Accept header too', async () => {
      const url = `${cloud.oidcRequestUri}?serviceConnectionId=${vstoken.id}`;

      const result = await send(url, {
        ca,
        method: 'POST',
        headers: { Authorization: `Bearer ${cloud.jobToken}`, Accept: 'application/json;api-version=7.2' },
      });

      assert.equal(result.status, 400);
      assert.equal(jsonBody(result)['typeKey'], 'VssInvalidPreviewVersionException');
    });

    for (const scheme of ['bearer', 'BEARER', 'Bearer']) {
      it(`accepts the job token with the scheme written '${scheme}'`, async () => {
        const url = `${cloud.oidcRequestUri}?api-version=7.1&serviceConnectionId=${vstoken.id}`;

        const result = await send(url, { ca, method: 'POST', headers: { Authorization: `${scheme} ${cloud.jobToken}` } });

        assert.equal(result.status, 200, result.body);
      });
    }

    it('accepts the job token as Basic base64(<any>:<token>), as System.AccessToken is used with git and curl', async () => {
      const url = `${cloud.oidcRequestUri}?api-version=7.1&serviceConnectionId=${vstoken.id}`;

      const result = await send(url, {
        ca,
        method: 'POST',
        headers: { Authorization: `Basic ${Buffer.from(`build:${cloud.jobToken}`).toString('base64')}` },
      });

      assert.equal(result.status, 200, result.body);
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
        tenantId,
        clientId,
        objectId,
        displayName: 'pipeline-app',
        organizationMember: member,
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

    const basic = (user: string, token: string): string => `Basic ${Buffer.from(`${user}:${token}`).toString('base64')}`;
    const forms: [string, (token: string) => string][] = [
      ['bearer in lower case', (token) => `bearer ${token}`],
      ['Basic with an empty user name', (token) => basic('', token)],
      ['Basic with any user name', (token) => basic('anything', token)],
      ['basic in lower case', (token) => basic('x', token).replace(/^Basic/, 'basic')],
    ];
    for (const [name, header] of forms) {
      it(`accepts an Entra token as ${name}`, async () => {
        const { token, objectId } = await accessTokenFor(true);

        const result = await send(connectionDataUrl(), { ca, headers: { Authorization: header(token) } });

        assert.equal(result.status, 200, result.body);
        const user = jsonBody(result)['authenticatedUser'];
        assert.ok(typeof user === 'object' && user !== null && 'id' in user);
        assert.equal(user.id, objectId);
      });
    }

    it('answers 401 for Basic with a wrong token, or with the token as the user name', async () => {
      const { token } = await accessTokenFor(true);

      const wrong = await send(connectionDataUrl(), { ca, headers: { Authorization: basic('x', `${token}x`) } });
      const asUser = await send(connectionDataUrl(), { ca, headers: { Authorization: `Basic ${Buffer.from(token).toString('base64')}` } });

      assert.equal(wrong.status, 401);
      assert.equal(asUser.status, 401);
    });

    it('answers 401 for the job token or no token', async () => {
      const withJobToken = await send(connectionDataUrl(), { ca, headers: { Authorization: `Bearer ${cloud.jobToken}` } });
      const anonymous = await send(connectionDataUrl(), { ca });

      assert.equal(withJobToken.status, 401);
      assert.equal(anonymous.status, 401);
    });
  });

  describe('Azure DevOps and Entra are different hosts', () => {
    it('serves them on different ports', () => {
      assert.notEqual(cloud.devOpsPort, cloud.port);
      assert.equal(new URL(cloud.oidcRequestUri).host, `127.0.0.1:${String(cloud.devOpsPort)}`);
      assert.equal(new URL(cloud.collectionUri).host, `127.0.0.1:${String(cloud.devOpsPort)}`);
    });

    it('answers 404 for the OIDC route on the Entra host, and for the token route on the Azure DevOps host', async () => {
      const oidcOnEntra = `${cloud.url}${new URL(cloud.oidcRequestUri).pathname}?api-version=7.1&serviceConnectionId=${vstoken.id}`;
      const tokenOnDevOps = `${cloud.devOpsUrl}/${tenantId}/oauth2/v2.0/token`;

      const oidc = await send(oidcOnEntra, { ca, method: 'POST', headers: { Authorization: `Bearer ${cloud.jobToken}` } });
      const token = await send(tokenOnDevOps, { ca, method: 'POST', body: 'grant_type=client_credentials' });

      assert.equal(oidc.status, 404);
      assert.equal(token.status, 404);
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
