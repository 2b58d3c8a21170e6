import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startFederatedCloud, startPublicCloudProxy } from './federated-cloud';
import type { ConnectProxy, FakeCloud, ServiceConnectionRecord } from './index';
import { runProbe, tokenOf } from './probe-runner';
import { mintOidcToken } from './test-helpers';

describe('fake cloud with the real @azure/identity (msal-node) client', function () {
  this.timeout(20000);
  let cloud: FakeCloud;
  let proxy: ConnectProxy;
  let ca: string;
  const tenantId = randomUUID();
  const clientId = randomUUID();
  const connection: ServiceConnectionRecord = { id: randomUUID(), name: 'arm', projectName: 'p', tenantId, issuerFormat: 'entra' };

  before(async () => {
    ({ cloud, ca } = await startFederatedCloud(connection, { tenantId, clientId }));
    proxy = await startPublicCloudProxy(cloud);
  });

  after(async () => {
    await proxy.close();
    await cloud.close();
  });

  async function probeEnv(): Promise<Record<string, string>> {
    return {
      NODE_EXTRA_CA_CERTS: cloud.caFile,
      PROBE_TENANT_ID: tenantId,
      PROBE_CLIENT_ID: clientId,
      PROBE_ASSERTION: await mintOidcToken(cloud, ca, connection.id),
      PROBE_SCOPE: '499b84ac-1321-427f-aa17-267ca6975798/.default',
    };
  }

  it('gets a token with the fake as authority host (openid-configuration, then token)', async () => {
    const start = cloud.requests.length;

    const result = await runProbe({ ...(await probeEnv()), PROBE_AUTHORITY_HOST: cloud.url });

    assert.equal(cloud.verifyAccessToken(tokenOf(result))?.appid, clientId);
    const paths = cloud.requests.slice(start).map((r) => r.path);
    assert.ok(paths.includes(`/${tenantId}/v2.0/.well-known/openid-configuration`), paths.join(' '));
    assert.equal(paths.at(-1), `/${tenantId}/oauth2/v2.0/token`);
  });

  it('gets a token from login.microsoftonline.com through HTTPS_PROXY', async () => {
    const start = cloud.requests.length;

    const result = await runProbe({ ...(await probeEnv()), HTTPS_PROXY: proxy.url });

    assert.ok(cloud.verifyAccessToken(tokenOf(result)));
    assert.ok(proxy.tunnels.includes('login.microsoftonline.com:443'));
    const viaProxy = cloud.requests.slice(start).filter((r) => r.host === 'login.microsoftonline.com');
    assert.equal(viaProxy.at(-1)?.path, `/${tenantId}/oauth2/v2.0/token`);
  });

  it('surfaces the AADSTS700213 refusal text to the caller', async () => {
    const env = await probeEnv();
    cloud.addApp({ tenantId, clientId, federatedCredentials: [{ issuer: cloud.issuerFor(connection), subject: 'wrong' }] });

    const result = await runProbe({ ...env, PROBE_AUTHORITY_HOST: cloud.url });

    assert.equal(result.code, 1);
    assert.match(result.stderr, /AADSTS700213/);
  });
});
