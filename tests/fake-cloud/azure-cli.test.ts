// The real Azure CLI logging in the way a later script step would, with the federated assertion the token
// service keeps in AZURE_FEDERATED_TOKEN_FILE, against the fake cloud through the routing proxy.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { testTempDir } from '../temp';
import {
  AZURE_DEVOPS_RESOURCE,
  azGetAccessToken,
  azJsonArray,
  azJsonObject,
  azLoginFederated,
  azureCliSkipReason,
  createAzureCli,
  describeAzResult,
} from './azure-cli';
import type { AzureCli } from './azure-cli';
import { startFederatedCloud, startPublicCloudProxy } from './federated-cloud';
import type { ConnectProxy, FakeCloud, FakeCloudOptions, ServiceConnectionRecord } from './index';
import { decodeJwt, numberClaim } from './jwt';
import { jsonBody, mintOidcToken, send, stringField } from './test-helpers';

interface AzSetup {
  cloud: FakeCloud;
  ca: string;
  proxy: ConnectProxy;
  cli: AzureCli;
}

const tenantId = randomUUID();
const clientId = randomUUID();
const objectId = randomUUID();
const subscriptionId = randomUUID();
const connection: ServiceConnectionRecord = { id: randomUUID(), name: 'arm', projectName: 'p', tenantId, issuerFormat: 'entra' };

async function setUp(options: FakeCloudOptions = {}): Promise<AzSetup> {
  const app = { tenantId, clientId, objectId, displayName: 'pipeline-app', subscriptions: [{ subscriptionId, displayName: 'Prod' }] };
  const { cloud, ca } = await startFederatedCloud(connection, app, options);
  const proxy = await startPublicCloudProxy(cloud);
  return { cloud, ca, proxy, cli: createAzureCli({ proxyUrl: proxy.url, caFile: cloud.caFile }) };
}

/** Hooks for a describe: skip (with the reason printed) without az, else start a cloud, proxy and CLI. */
function useAzSetup(options: FakeCloudOptions = {}): () => AzSetup {
  let setup: AzSetup | undefined;
  before(async function () {
    const reason = azureCliSkipReason();
    if (reason !== undefined) {
      console.log(`      skipped: ${reason}`);
      this.skip();
    }
    setup = await setUp(options);
  });
  after(async () => {
    await setup?.proxy.close();
    await setup?.cloud.close();
  });
  return () => {
    if (setup === undefined) throw new Error('The Azure CLI setup did not start');
    return setup;
  };
}

/** What the token service does: a current assertion in a file only the job user can read. */
async function writeFederatedTokenFile(setup: AzSetup): Promise<string> {
  const file = join(testTempDir('federated-token-'), 'oidc-token');
  writeFileSync(file, await mintOidcToken(setup.cloud, setup.ca, connection.id), { mode: 0o600 });
  return file;
}

async function connectionDataStatus(setup: AzSetup, accessToken: string): Promise<{ status: number; user: string }> {
  const result = await send(`${setup.cloud.collectionUri}_apis/connectionData`, {
    ca: setup.ca,
    headers: { Authorization: `Bearer ${accessToken}` },
  });
  const user = result.status === 200 ? jsonBody(result)['authenticatedUser'] : undefined;
  const id = typeof user === 'object' && user !== null && 'id' in user ? String(user.id) : '';
  return { status: result.status, user: id };
}

function accessTokenOf(result: Awaited<ReturnType<typeof azGetAccessToken>>): string {
  return stringField(azJsonObject(result), 'accessToken');
}

describe('Azure CLI logs in with the federated token file', function () {
  this.timeout(120000);
  const current = useAzSetup();
  let setup: AzSetup;
  before(() => {
    setup = current();
  });

  it('az login --federated-token lists the subscription from the fake ARM at management.azure.com', async () => {
    const assertion = readFileSync(await writeFederatedTokenFile(setup), 'utf8');

    const login = await azLoginFederated(setup.cli, { clientId, tenantId, assertion });

    const accounts = azJsonArray(login);
    assert.deepEqual(
      accounts.map((a) => a['id']),
      [subscriptionId],
      describeAzResult(login),
    );
    assert.ok(setup.proxy.tunnels.includes('management.azure.com:443'));
    assert.ok(setup.cloud.requests.some((r) => r.host === 'management.azure.com' && r.path === '/subscriptions' && r.status === 200));
  });

  it('az account get-access-token gives a token the fake Azure DevOps accepts', async () => {
    const result = await azGetAccessToken(setup.cli, AZURE_DEVOPS_RESOURCE);

    const accessToken = accessTokenOf(result);
    assert.deepEqual(await connectionDataStatus(setup, accessToken), { status: 200, user: objectId });
  });

  it('keeps the assertion in plain text in AZURE_CONFIG_DIR (documented fact: clean the dir after the job)', () => {
    const assertion = setup.cloud.issuedOidcTokens.at(-1) ?? '';

    const entries = readFileSync(join(setup.cli.configDir, 'service_principal_entries.json'), 'utf8');

    assert.ok(assertion !== '' && entries.includes(assertion), 'service_principal_entries.json holds the client assertion');
  });
});

describe('Azure CLI after the stored federated assertion expired', function () {
  this.timeout(120000);
  const lifetimeSeconds = 15;
  const current = useAzSetup({ oidcLifetimeSeconds: lifetimeSeconds });
  let setup: AzSetup;
  before(() => {
    setup = current();
  });

  it('fails with AADSTS700024 for a resource not yet cached, and a fresh az login fixes it', async () => {
    const first = readFileSync(await writeFederatedTokenFile(setup), 'utf8');
    const login = await azLoginFederated(setup.cli, { clientId, tenantId, assertion: first });
    assert.equal(login.code, 0, describeAzResult(login));
    const exp = numberClaim(decodeJwt(first)?.payload ?? {}, 'exp') ?? 0;
    await sleep(Math.max(0, (exp + 1) * 1000 - Date.now()));

    const expired = await azGetAccessToken(setup.cli, AZURE_DEVOPS_RESOURCE);
    const again = await azLoginFederated(setup.cli, {
      clientId,
      tenantId,
      assertion: readFileSync(await writeFederatedTokenFile(setup), 'utf8'),
    });
    const renewed = await azGetAccessToken(setup.cli, AZURE_DEVOPS_RESOURCE);

    assert.notEqual(expired.code, 0, describeAzResult(expired));
    assert.match(expired.stderr, /AADSTS700024/, describeAzResult(expired));
    assert.equal(again.code, 0, describeAzResult(again));
    assert.equal((await connectionDataStatus(setup, accessTokenOf(renewed))).status, 200);
  });
});
