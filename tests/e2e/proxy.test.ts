import assert from 'node:assert/strict';
import { startConnectProxy, type ConnectProxy } from '../fake-cloud';
import { failure, variables } from './agent';
import { countRequests, Fixture, TOKEN_PATH } from './fixture';

describe('EntraToken behind a proxy', () => {
  let fixture: Fixture;
  const proxies: ConnectProxy[] = [];

  before(async () => {
    fixture = await Fixture.start();
  });
  after(async () => {
    await Promise.all(proxies.map((proxy) => proxy.close()));
    await fixture.close();
  });

  async function proxy(options: Parameters<typeof startConnectProxy>[0] = { routes: {} }): Promise<ConnectProxy> {
    const started = await startConnectProxy(options);
    proxies.push(started);
    return started;
  }

  async function devopsRun(extra: Record<string, string>) {
    return (await fixture.run({ extra })).run;
  }

  describe('HTTPS_PROXY', () => {
    it('tunnels both the OIDC request and the Entra requests through the proxy', async () => {
      const httpsProxy = await proxy();

      const run = await devopsRun({ HTTPS_PROXY: httpsProxy.url });

      assert.equal(run.exitCode, 0, failure(run));
      const target = new URL(fixture.cloud.url).host;
      assert.ok(httpsProxy.tunnels.filter((tunnel) => tunnel === target).length >= 2, httpsProxy.tunnels.join(', '));
    });
  });

  describe('NO_PROXY', () => {
    it('bypasses an unreachable HTTPS_PROXY for the listed host', async () => {
      const run = await devopsRun({ HTTPS_PROXY: 'http://127.0.0.1:9', NO_PROXY: '127.0.0.1' });

      assert.equal(run.exitCode, 0, failure(run));
      assert.ok(variables(run).get('EntraAccessToken')?.secret);
    });
  });

  describe('the agent proxy (Agent.ProxyUrl) with credentials', () => {
    // azure-pipelines-task-lib itself echoes Agent.ProxyPassword into one debug line when it loads (the agent masks
    // it, as a secret known at job start). Our code must add no other occurrence, in or out of debug mode.
    for (const debug of ['false', 'true']) {
      it(`authenticates to the proxy and prints the password nowhere else (System.Debug=${debug})`, async () => {
        const password = `proxy-${String(Math.random()).slice(2)}`;
        const agentProxy = await proxy({ routes: {}, credentials: { username: 'build', password } });

        const run = await devopsRun({
          AGENT_PROXYURL: agentProxy.url,
          AGENT_PROXYUSERNAME: 'build',
          SECRET_AGENT_PROXYPASSWORD: password,
          VSTS_SECRET_VARIABLES: JSON.stringify(['Agent.ProxyPassword']),
          DISTRIBUTEDTASK_TASKS_NODE_SKIPDEBUGLOGSWHENDEBUGMODEOFF: 'true',
          SYSTEM_DEBUG: debug,
        });

        assert.equal(run.exitCode, 0, failure(run));
        assert.ok(agentProxy.tunnels.length >= 2);
        const printed = run.lines.filter((line) => line.includes(password));
        const taskLibEcho = `##vso[task.debug]Agent.ProxyPassword=${password}`;
        assert.deepEqual(printed, debug === 'true' ? [taskLibEcho] : []);
      });
    }
  });

  describe('the public cloud authority', () => {
    it('sends the token request to login.microsoftonline.com when the connection names no other cloud', async () => {
      const routed = await proxy({ routes: { 'login.microsoftonline.com:443': new URL(fixture.cloud.url).host } });

      const { run, requests } = await fixture.run({ extra: { HTTPS_PROXY: routed.url, AZURE_AUTHORITY_HOST: '' } });

      assert.equal(run.exitCode, 0, failure(run));
      assert.ok(routed.tunnels.includes('login.microsoftonline.com:443'), routed.tunnels.join(', '));
      assert.equal(countRequests(requests, TOKEN_PATH), 1);
      assert.deepEqual(
        requests.filter((request) => TOKEN_PATH.test(request.path)).map((request) => request.host),
        ['login.microsoftonline.com'],
      );
    });
  });
});
