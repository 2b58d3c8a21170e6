import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { getBearerHandler, getPersonalAccessTokenHandler, WebApi } from 'azure-devops-node-api';
import { startFederatedCloud } from './federated-cloud';
import type { FakeCloud, ServiceConnectionRecord } from './index';
import { decodeJwt } from './jwt';
import { exchange, jsonBody, mintOidcToken, stringField } from './test-helpers';

describe('fake cloud with the real azure-devops-node-api client', () => {
  let cloud: FakeCloud;
  let ca: string;
  const tenantId = randomUUID();
  const clientId = randomUUID();
  const objectId = randomUUID();
  const connection: ServiceConnectionRecord = { id: randomUUID(), name: 'ado', projectName: 'p', tenantId, issuerFormat: 'vstoken' };

  before(async () => {
    ({ cloud, ca } = await startFederatedCloud(connection, { tenantId, clientId, objectId }));
  });

  after(async () => {
    await cloud.close();
  });

  it('WebApi.connect() accepts an access token the fake issued', async () => {
    const result = await exchange(cloud, ca, { tenantId, clientId, assertion: await mintOidcToken(cloud, ca, connection.id) });
    const token = stringField(jsonBody(result), 'access_token');
    const api = new WebApi(cloud.collectionUri.replace(/\/$/, ''), getBearerHandler(token), { cert: { caFile: cloud.caFile } });

    const data = await api.connect();

    assert.equal(data.authenticatedUser?.id, objectId);
    assert.equal(data.authenticatedUser.providerDisplayName, clientId);
    assert.equal(data.instanceId, cloud.organizationId);
  });

  it("node-api's PAT handler (Basic base64(:<token>)) works with an Entra token, as tfx and az devops send it", async () => {
    const result = await exchange(cloud, ca, { tenantId, clientId, assertion: await mintOidcToken(cloud, ca, connection.id) });
    const token = stringField(jsonBody(result), 'access_token');
    const api = new WebApi(cloud.collectionUri.replace(/\/$/, ''), getPersonalAccessTokenHandler(token), {
      cert: { caFile: cloud.caFile },
    });

    const data = await api.connect();

    assert.equal(data.authenticatedUser?.id, objectId);
  });

  it('TaskApi.createOidcToken() finds the route through OPTIONS and gets a token with the job token', async () => {
    const api = new WebApi(cloud.collectionUri.replace(/\/$/, ''), getBearerHandler(cloud.jobToken), { cert: { caFile: cloud.caFile } });
    const taskApi = await api.getTaskApi();

    const response = await taskApi.createOidcToken({}, cloud.projectId, cloud.hubName, cloud.planId, cloud.jobId, connection.id);

    assert.equal(decodeJwt(response.oidcToken ?? '')?.payload['sub'], cloud.subjectFor(connection));
    assert.equal(cloud.requests.at(-1)?.path, new URL(cloud.oidcRequestUri).pathname);
  });
});
