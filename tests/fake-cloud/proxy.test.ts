import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startConnectProxy } from './index';
import { startFederatedCloud, startPublicCloudProxy } from './federated-cloud';
import type { ConnectProxy, FakeCloud, ServiceConnectionRecord } from './index';
import { parseAuthority } from './proxy';
import { exchange, jsonBody, mintOidcToken, openTunnel, send, stringField } from './test-helpers';

describe('CONNECT proxy to the fake cloud', () => {
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

  it('tunnels login.microsoftonline.com:443 to the fake and keeps that host in URLs', async () => {
    const tunnel = await openTunnel(proxy.url, 'login.microsoftonline.com:443');

    const result = await send(`https://login.microsoftonline.com/${tenantId}/v2.0/.well-known/openid-configuration`, {
      ca,
      tunnel: tunnel.socket,
    });

    assert.equal(tunnel.status, 200);
    assert.equal(result.status, 200);
    assert.equal(stringField(jsonBody(result), 'token_endpoint'), `https://login.microsoftonline.com/${tenantId}/oauth2/v2.0/token`);
    assert.deepEqual(cloud.requests.at(-1), {
      ...cloud.requests.at(-1),
      host: 'login.microsoftonline.com',
      path: `/${tenantId}/v2.0/.well-known/openid-configuration`,
    });
    assert.equal(proxy.tunnels.at(-1), 'login.microsoftonline.com:443');
  });

  it('exchanges a token through the tunnel', async () => {
    const assertion = await mintOidcToken(cloud, ca, connection.id);
    const tunnel = await openTunnel(proxy.url, 'login.microsoftonline.com:443');

    const result = await exchange(cloud, ca, {
      tenantId,
      clientId,
      assertion,
      baseUrl: 'https://login.microsoftonline.com',
      tunnel: tunnel.socket,
    });

    assert.equal(result.status, 200, result.body);
    assert.ok(cloud.verifyAccessToken(stringField(jsonBody(result), 'access_token')));
  });

  it('refuses unrouted hosts with 403 without dialling them', async () => {
    const before = cloud.requests.length;

    const tunnel = await openTunnel(proxy.url, 'login.microsoftonline.us:443');
    tunnel.socket.destroy();

    assert.equal(tunnel.status, 403);
    assert.equal(proxy.tunnels.at(-1), 'login.microsoftonline.us:443');
    assert.equal(cloud.requests.length, before);
  });

  it('allows loopback targets directly', async () => {
    const tunnel = await openTunnel(proxy.url, `127.0.0.1:${cloud.port}`);

    const result = await send(`https://127.0.0.1:${cloud.port}/common/discovery/instance`, { ca, tunnel: tunnel.socket });

    assert.equal(result.status, 200);
  });

  describe('with credentials', () => {
    let guarded: ConnectProxy;

    before(async () => {
      guarded = await startConnectProxy({
        routes: { 'login.microsoftonline.com:443': `127.0.0.1:${cloud.port}` },
        credentials: { username: 'agent', password: 'p@ss:word' },
      });
    });

    after(async () => {
      await guarded.close();
    });

    it('answers 407 without Proxy-Authorization and tunnels with it', async () => {
      const anonymous = await openTunnel(guarded.url, 'login.microsoftonline.com:443');
      anonymous.socket.destroy();
      const basic = `Basic ${Buffer.from('agent:p@ss:word').toString('base64')}`;
      const authorized = await openTunnel(guarded.url, 'login.microsoftonline.com:443', { 'Proxy-Authorization': basic });
      authorized.socket.destroy();

      assert.equal(anonymous.status, 407);
      assert.equal(authorized.status, 200);
      assert.deepEqual(guarded.tunnels, ['login.microsoftonline.com:443', 'login.microsoftonline.com:443']);
    });
  });

  describe('parseAuthority', () => {
    it('parses host:port and [v6]:port and rejects the rest', () => {
      assert.deepEqual(parseAuthority('Login.MicrosoftOnline.com:443'), { host: 'login.microsoftonline.com', port: 443 });
      assert.deepEqual(parseAuthority('[::1]:8443'), { host: '::1', port: 8443 });
      assert.equal(parseAuthority('example.com'), undefined);
      assert.equal(parseAuthority('example.com:0'), undefined);
      assert.equal(parseAuthority('example.com:99999'), undefined);
    });
  });
});
