import assert from 'node:assert/strict';
import { startConnectProxy, startFakeCloud, type ConnectProxy, type FakeCloud } from '../fake-cloud';
import { failure, runTask, variables, type TaskRun } from './agent';
import { assertNoLeaks } from './leaks';
import { createScenario, createWorkspace, endpointFor, environmentFor, type Scenario } from './scenario';

describe('EntraToken behind a proxy', () => {
  let cloud: FakeCloud;
  let scenario: Scenario;
  const proxies: ConnectProxy[] = [];

  before(async () => {
    cloud = await startFakeCloud();
    scenario = createScenario(cloud);
  });
  after(async () => {
    await Promise.all(proxies.map((proxy) => proxy.close()));
    await cloud.close();
  });

  async function proxy(options: Parameters<typeof startConnectProxy>[0] = { routes: {} }): Promise<ConnectProxy> {
    const started = await startConnectProxy(options);
    proxies.push(started);
    return started;
  }

  function checkNoLeaks(run: TaskRun): void {
    assertNoLeaks(run, { jobToken: cloud.jobToken, tokens: [...cloud.issuedOidcTokens, ...cloud.issuedAccessTokens] });
  }

  function devopsRun(extra: Record<string, string>) {
    const workspace = createWorkspace();
    const env = environmentFor(cloud, workspace, {
      inputs: { azureDevOpsServiceConnection: scenario.devops.connection.id },
      endpoints: [endpointFor(scenario.devops)],
      extra,
    });
    return runTask(env, workspace.workingDirectory);
  }

  describe('HTTPS_PROXY', () => {
    it('tunnels both the OIDC request and the Entra requests through the proxy', async () => {
      const httpsProxy = await proxy();

      const run = await devopsRun({ AZURE_AUTHORITY_HOST: cloud.url, HTTPS_PROXY: httpsProxy.url });

      assert.equal(run.exitCode, 0, failure(run));
      const target = new URL(cloud.url).host;
      assert.ok(httpsProxy.tunnels.filter((tunnel) => tunnel === target).length >= 2, httpsProxy.tunnels.join(', '));
      checkNoLeaks(run);
    });
  });

  describe('NO_PROXY', () => {
    it('bypasses an unreachable HTTPS_PROXY for the listed host', async () => {
      const run = await devopsRun({ AZURE_AUTHORITY_HOST: cloud.url, HTTPS_PROXY: 'http://127.0.0.1:9', NO_PROXY: '127.0.0.1' });

      assert.equal(run.exitCode, 0, failure(run));
      assert.ok(variables(run).get('EntraAccessToken')?.secret);
      checkNoLeaks(run);
    });
  });

  describe('the agent proxy (Agent.ProxyUrl) with credentials', () => {
    // azure-pipelines-task-lib itself echoes Agent.ProxyPassword into a debug line when it loads; agents that skip
    // debug lines outside debug mode (the knob below) print nothing, and in debug mode the agent masks it.
    it('authenticates to the proxy without printing the proxy password', async () => {
      const password = `proxy-${String(Math.random()).slice(2)}`;
      const agentProxy = await proxy({ routes: {}, credentials: { username: 'build', password } });

      const run = await devopsRun({
        AZURE_AUTHORITY_HOST: cloud.url,
        AGENT_PROXYURL: agentProxy.url,
        AGENT_PROXYUSERNAME: 'build',
        SECRET_AGENT_PROXYPASSWORD: password,
        VSTS_SECRET_VARIABLES: JSON.stringify(['Agent.ProxyPassword']),
        DISTRIBUTEDTASK_TASKS_NODE_SKIPDEBUGLOGSWHENDEBUGMODEOFF: 'true',
      });

      assert.equal(run.exitCode, 0, failure(run));
      assert.ok(agentProxy.tunnels.length >= 2);
      assert.ok(run.lines.every((line) => !line.includes(password)), 'the proxy password is printed');
      checkNoLeaks(run);
    });
  });

  describe('the public cloud authority', () => {
    it('sends the token request to login.microsoftonline.com when the connection names no other cloud', async () => {
      const routed = await proxy({ routes: { 'login.microsoftonline.com:443': new URL(cloud.url).host } });
      const start = cloud.requests.length;

      const run = await devopsRun({ HTTPS_PROXY: routed.url });

      assert.equal(run.exitCode, 0, failure(run));
      assert.ok(routed.tunnels.includes('login.microsoftonline.com:443'), routed.tunnels.join(', '));
      const tokenRequests = cloud.requests.slice(start).filter((request) => request.path.endsWith('/oauth2/v2.0/token'));
      assert.deepEqual(tokenRequests.map((request) => request.host), ['login.microsoftonline.com']);
      checkNoLeaks(run);
    });
  });
});
