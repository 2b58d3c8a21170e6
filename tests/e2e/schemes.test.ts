import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { testTempDir } from '../temp';
import { createClientCertificate, startConnectProxy, type ConnectProxy } from '../fake-cloud';
import { failure, variables, type EndpointSpec } from './agent';
import { countRequests, FAST_RETRIES, Fixture, TOKEN_PATH, type FixtureRun } from './fixture';
import { endpointFor } from './scenario';
import { CLOUDS } from '../../tasks/EntraToken/v1/src/connection/clouds';

describe('EntraToken with every ARM scheme, cloud and scope, end to end', () => {
  let fixture: Fixture;
  let proxy: ConnectProxy;

  before(async () => {
    fixture = await Fixture.start();
    const fake = new URL(fixture.cloud.url).host;
    const hosts = CLOUDS.flatMap((cloud) => cloud.knownHosts);
    proxy = await startConnectProxy({ routes: Object.fromEntries(hosts.map((host) => [`${host}:443`, fake])) });
  });
  after(async () => {
    await proxy.close();
    await fixture.close();
  });

  function armRun(endpoint: EndpointSpec, inputs: Record<string, string> = {}, extra: Record<string, string> = {}): Promise<FixtureRun> {
    return fixture.run({
      inputs: { connectionType: 'azureRM', azureSubscription: endpoint.id, ...inputs },
      endpoints: [endpoint],
      extra: { ...FAST_RETRIES, ...extra },
    });
  }

  /** The exported token is the one the fake issued last, for this app and this resource. */
  function assertTokenFor(result: FixtureRun, clientId: string, audience: string): void {
    assert.equal(result.run.exitCode, 0, failure(result.run));
    const token = variables(result.run).get('EntraAccessToken')?.value ?? '';
    assert.equal(token, fixture.cloud.issuedAccessTokens.at(-1));
    const claims = fixture.cloud.verifyAccessToken(token);
    assert.equal(claims?.appid, clientId);
    assert.equal(claims.aud, audience);
  }

  function secretApp(): { clientId: string; tenantId: string; secret: string } {
    const app = { tenantId: fixture.scenario.tenantId, clientId: randomUUID(), secret: `s-${randomUUID()}` };
    fixture.cloud.addApp({ tenantId: app.tenantId, clientId: app.clientId, federatedCredentials: [], clientSecrets: [app.secret] });
    return app;
  }

  function secretEndpoint(app: { clientId: string; tenantId: string }, secret: string): EndpointSpec {
    return {
      id: randomUUID(),
      scheme: 'ServicePrincipal',
      parameters: { authenticationType: 'spnKey', tenantid: app.tenantId, serviceprincipalid: app.clientId, serviceprincipalkey: secret },
      data: { activeDirectoryAuthority: fixture.cloud.url },
    };
  }

  describe('ServicePrincipal with a client secret', () => {
    it('gets a token for the app and the Graph resource', async () => {
      const app = secretApp();

      const result = await armRun(secretEndpoint(app, app.secret), { scope: 'https://graph.microsoft.com' });

      assertTokenFor(result, app.clientId, 'https://graph.microsoft.com');
      assert.ok(
        result.run.lines.every((line) => !line.includes(app.secret)),
        'the client secret is printed',
      );
    });

    it('explains a wrong secret with the connection settings page', async () => {
      const app = secretApp();

      const { run } = await armRun(secretEndpoint(app, 'not-the-secret'), {}, { SYSTEM_TEAMPROJECT: 'Platform' });

      assert.equal(run.exitCode, 1);
      assert.match(
        failure(run) ?? '',
        /client secret of service connection '[0-9a-f-]+' is invalid or expired \(AADSTS7000215\).*\/Platform\/_settings\/adminservices\?resourceId=/,
      );
      assert.ok(
        run.lines.every((line) => !line.includes('not-the-secret')),
        'the client secret is printed',
      );
    });
  });

  describe('ServicePrincipal with a certificate', () => {
    const certificate = () => createClientCertificate(testTempDir('entra-cert-'), 'entra-token-e2e');

    function certificateEndpoint(clientId: string, pem: string): EndpointSpec {
      return {
        id: randomUUID(),
        scheme: 'ServicePrincipal',
        parameters: {
          authenticationType: 'spnCertificate',
          tenantid: fixture.scenario.tenantId,
          serviceprincipalid: clientId,
          servicePrincipalCertificate: pem,
        },
        data: { activeDirectoryAuthority: fixture.cloud.url },
      };
    }

    /** The task may leave task-lib's vault key, and nothing else: no certificate file, on success or failure. */
    function assertOnlyVaultKey(result: FixtureRun): void {
      assert.deepEqual(readdirSync(result.workspace.tempDirectory), ['.taskkey']);
      assert.deepEqual(readdirSync(result.workspace.workingDirectory), []);
    }

    it('gets a token without writing the certificate anywhere', async () => {
      const registered = certificate();
      const clientId = randomUUID();
      fixture.cloud.addApp({ tenantId: fixture.scenario.tenantId, clientId, federatedCredentials: [], certificates: [registered.certPem] });

      const result = await armRun(certificateEndpoint(clientId, registered.combinedPem), { scope: 'api://my-api' });

      assertTokenFor(result, clientId, 'api://my-api');
      const keyLine = registered.keyPem.split('\n')[1] ?? '';
      assert.ok(
        result.run.lines.every((line) => !line.includes(keyLine)),
        'the private key is printed',
      );
      assertOnlyVaultKey(result);
    });

    it('explains a certificate the app does not know, and leaves no file behind', async () => {
      const clientId = randomUUID();
      fixture.cloud.addApp({
        tenantId: fixture.scenario.tenantId,
        clientId,
        federatedCredentials: [],
        certificates: [certificate().certPem],
      });

      const result = await armRun(certificateEndpoint(clientId, certificate().combinedPem));

      assert.equal(result.run.exitCode, 1);
      assert.match(failure(result.run) ?? '', /\(AADSTS700027\): Client assertion failed signature validation/);
      assertOnlyVaultKey(result);
    });
  });

  describe('the tenantId input', () => {
    it('gets the token from the other tenant of a multi-tenant app', async () => {
      const { arm } = fixture.scenario;
      const otherTenant = randomUUID();
      fixture.cloud.addApp({ ...arm.app, tenantId: otherTenant, objectId: randomUUID() });

      const result = await armRun(endpointFor(arm, { activeDirectoryAuthority: fixture.cloud.url }), { tenantId: otherTenant });

      assertTokenFor(result, arm.app.clientId, '499b84ac-1321-427f-aa17-267ca6975798');
      assert.equal(fixture.cloud.verifyAccessToken(fixture.cloud.issuedAccessTokens.at(-1) ?? '')?.tid, otherTenant);
      assert.equal(variables(result.run).get('output:tenantId')?.value, otherTenant);
    });
  });

  describe('ManagedServiceIdentity', () => {
    it('gets a token for the user-assigned identity named by msiclientId', async () => {
      const identity = { tenantId: fixture.scenario.tenantId, clientId: randomUUID() };
      fixture.cloud.addManagedIdentity(identity);
      const endpoint: EndpointSpec = {
        id: randomUUID(),
        scheme: 'ManagedServiceIdentity',
        parameters: { tenantid: identity.tenantId },
        data: { msiclientId: identity.clientId },
      };

      const result = await armRun(
        endpoint,
        {},
        { IDENTITY_ENDPOINT: fixture.cloud.managedIdentityEndpoint, IDENTITY_HEADER: fixture.cloud.identityHeader },
      );

      assertTokenFor(result, identity.clientId, '499b84ac-1321-427f-aa17-267ca6975798');
    });

    it('explains an agent without a managed identity', async () => {
      const endpoint: EndpointSpec = { id: randomUUID(), scheme: 'ManagedServiceIdentity', parameters: {}, data: {} };

      const { run } = await armRun(
        endpoint,
        {},
        { IDENTITY_ENDPOINT: `${fixture.cloud.url}/no-such-endpoint`, IDENTITY_HEADER: 'x', ENTRATOKEN_MAX_RETRIES: '0' },
      );

      assert.equal(run.exitCode, 1);
      assert.match(failure(run) ?? '', /uses a managed identity, but this agent has none that answers/);
    });
  });

  describe('clouds', () => {
    // For the China cloud, msal-node sends the request to its preferred alias of login.chinacloudapi.cn.
    const clouds: [string, string][] = [
      ['AzureCloud', 'login.microsoftonline.com'],
      ['AzureUSGovernment', 'login.microsoftonline.us'],
      ['AzureChinaCloud', 'login.partner.microsoftonline.cn'],
    ];
    for (const [environment, host] of clouds) {
      it(`${environment} sends the token request to ${host}`, async () => {
        const result = await armRun(
          endpointFor(fixture.scenario.arm, { environment }),
          {},
          { HTTPS_PROXY: proxy.url, AZURE_AUTHORITY_HOST: '' },
        );

        assertTokenFor(result, fixture.scenario.arm.app.clientId, '499b84ac-1321-427f-aa17-267ca6975798');
        assert.deepEqual(
          result.requests.filter((r) => TOKEN_PATH.test(r.path)).map((r) => r.host),
          [host],
        );
      });
    }

    it('AzureStack sends the token request to the authority in environmentAuthorityUrl', async () => {
      const result = await armRun(
        endpointFor(fixture.scenario.arm, { environment: 'AzureStack', environmentAuthorityUrl: `${fixture.cloud.url}/` }),
        {},
        { AZURE_AUTHORITY_HOST: '' },
      );

      assertTokenFor(result, fixture.scenario.arm.app.clientId, '499b84ac-1321-427f-aa17-267ca6975798');
      assert.equal(countRequests(result.requests, TOKEN_PATH), 1);
    });
  });

  describe('scopes', () => {
    const scopes: [string, string][] = [
      ['499b84ac-1321-427f-aa17-267ca6975798', '499b84ac-1321-427f-aa17-267ca6975798'],
      ['https://management.azure.com/.default', 'https://management.azure.com'],
      ['api://contoso-api', 'api://contoso-api'],
    ];
    for (const [scope, audience] of scopes) {
      it(`'${scope}' yields a token whose audience is '${audience}'`, async () => {
        const result = await armRun(endpointFor(fixture.scenario.arm, { activeDirectoryAuthority: fixture.cloud.url }), { scope });

        assertTokenFor(result, fixture.scenario.arm.app.clientId, audience);
      });
    }
  });
});
