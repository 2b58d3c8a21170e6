import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { createClientCertificate, createTestCertificates, startFakeCloud } from './index';
import type { ClientCertificate, FakeCloud, TestCertificates } from './index';
import { runProbe, tokenOf } from './probe-runner';
import { send } from './test-helpers';
import { testTempDir } from '../temp';

const SCOPE = '499b84ac-1321-427f-aa17-267ca6975798/.default';

// Each credential runs in a child process (identity-probe.ts), as the task would.
describe('fake cloud with the real @azure/identity app and managed identity credentials', function () {
  this.timeout(20000);
  const dir = testTempDir('identity-credentials-test-');
  let certificates: TestCertificates;
  let cloud: FakeCloud;
  let appCertificate: ClientCertificate;
  let strangerCertificate: ClientCertificate;
  const tenantId = randomUUID();
  const clientId = randomUUID();
  const secret = randomBytes(24).toString('base64url');
  const expiredSecret = randomBytes(24).toString('base64url');
  const systemAssigned = { tenantId, clientId: randomUUID(), objectId: randomUUID(), default: true };
  const userAssigned = { tenantId, clientId: randomUUID(), objectId: randomUUID() };

  before(async () => {
    certificates = createTestCertificates(dir);
    appCertificate = createClientCertificate(dir, 'pipeline app');
    strangerCertificate = createClientCertificate(dir, 'not registered');
    cloud = await startFakeCloud({ certificates });
    cloud.addApp({
      tenantId,
      clientId,
      federatedCredentials: [],
      clientSecrets: [secret],
      expiredClientSecrets: [expiredSecret],
      certificates: [appCertificate.certPem],
    });
    cloud.addManagedIdentity(systemAssigned);
    cloud.addManagedIdentity(userAssigned);
  });

  after(async () => {
    await cloud.close();
  });

  function appProbe(env: Record<string, string>): ReturnType<typeof runProbe> {
    return runProbe({
      NODE_EXTRA_CA_CERTS: cloud.caFile,
      PROBE_AUTHORITY_HOST: cloud.url,
      PROBE_TENANT_ID: tenantId,
      PROBE_CLIENT_ID: clientId,
      PROBE_SCOPE: SCOPE,
      ...env,
    });
  }

  function managedIdentityProbe(env: Record<string, string> = {}): ReturnType<typeof runProbe> {
    return runProbe({
      NODE_EXTRA_CA_CERTS: cloud.caFile,
      IDENTITY_ENDPOINT: cloud.managedIdentityEndpoint,
      IDENTITY_HEADER: cloud.identityHeader,
      PROBE_CREDENTIAL: 'managed-identity',
      PROBE_SCOPE: SCOPE,
      ...env,
    });
  }

  async function connectionDataStatus(token: string): Promise<number> {
    const result = await send(`${cloud.collectionUri}_apis/connectionData`, {
      ca: certificates.caPem,
      headers: { Authorization: `Bearer ${token}` },
    });
    return result.status;
  }

  describe('ClientSecretCredential', () => {
    it('gets a token connectionData accepts for a valid secret', async () => {
      const result = await appProbe({ PROBE_CREDENTIAL: 'secret', PROBE_CLIENT_SECRET: secret });

      const token = tokenOf(result);
      assert.equal(cloud.verifyAccessToken(token)?.appid, clientId);
      assert.equal(await connectionDataStatus(token), 200);
    });

    it('surfaces AADSTS7000215 for a wrong secret', async () => {
      const result = await appProbe({ PROBE_CREDENTIAL: 'secret', PROBE_CLIENT_SECRET: 'wrong-secret' });

      assert.equal(result.code, 1);
      assert.match(result.stderr, /AADSTS7000215: Invalid client secret provided/);
    });

    it('surfaces AADSTS7000222 for an expired secret', async () => {
      const result = await appProbe({ PROBE_CREDENTIAL: 'secret', PROBE_CLIENT_SECRET: expiredSecret });

      assert.equal(result.code, 1);
      assert.match(result.stderr, /AADSTS7000222: The provided client secret keys for app/);
    });
  });

  describe('ClientCertificateCredential', () => {
    it('gets a token connectionData accepts with the registered certificate (PS256, x5t#S256, x5c)', async () => {
      const result = await appProbe({
        PROBE_CREDENTIAL: 'certificate',
        PROBE_CERTIFICATE: appCertificate.combinedPem,
        PROBE_SEND_CERTIFICATE_CHAIN: 'true',
      });

      const token = tokenOf(result);
      assert.equal(cloud.verifyAccessToken(token)?.appid, clientId);
      assert.equal(await connectionDataStatus(token), 200);
    });

    it('surfaces AADSTS700027 for a certificate not registered on the app', async () => {
      const result = await appProbe({ PROBE_CREDENTIAL: 'certificate', PROBE_CERTIFICATE: strangerCertificate.combinedPem });

      assert.equal(result.code, 1);
      assert.match(result.stderr, /AADSTS700027: Client assertion failed signature validation/);
    });
  });

  describe('ManagedIdentityCredential (App Service IDENTITY_ENDPOINT over HTTPS)', () => {
    it("gets the default identity's token without a client id", async () => {
      const result = await managedIdentityProbe();

      const token = tokenOf(result);
      assert.deepEqual(
        [cloud.verifyAccessToken(token)?.appid, cloud.verifyAccessToken(token)?.oid],
        [systemAssigned.clientId, systemAssigned.objectId],
      );
      assert.equal(await connectionDataStatus(token), 200);
      assert.equal(cloud.requests.at(-2)?.path, '/msi/token');
    });

    it("gets a user-assigned identity's token by client id", async () => {
      const result = await managedIdentityProbe({ PROBE_CLIENT_ID: userAssigned.clientId });

      assert.equal(cloud.verifyAccessToken(tokenOf(result))?.appid, userAssigned.clientId);
    });

    it('surfaces the App Service error for an unknown client id', async () => {
      const result = await managedIdentityProbe({ PROBE_CLIENT_ID: randomUUID() });

      assert.equal(result.code, 1);
      assert.match(result.stderr, /No User Assigned or Delegated Managed Identity found/);
    });
  });
});
