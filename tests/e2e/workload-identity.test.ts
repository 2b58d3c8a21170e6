// The workload-identity contract and both App Service versions, used by real clients in later steps after the
// first OIDC assertion has expired. The fake cloud issues 20-second assertions, so rotation is tested by waiting.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { decodeClaims } from '../../tasks/EntraToken/v1/src/token/claims';
import { runPostJob } from './agent';
import {
  AZURE_DEVOPS_RESOURCE,
  azGetAccessToken,
  azJsonObject,
  azLoginFederated,
  azureCliSkipReason,
  createAzureCli,
  describeAzResult,
  type AzResult,
  type AzureCli,
} from '../fake-cloud/azure-cli';
import { send, stringField } from '../fake-cloud/test-helpers';
import { assertNoLeaks } from './leaks';
import { AZURE_DEVOPS, ServiceJob, portOpen } from './service-job';
import {
  APP_SERVICE_VARIABLES,
  LEGACY_APP_SERVICE_VARIABLES,
  WORKLOAD_IDENTITY_VARIABLES,
  nodeClientToken,
  pythonClientToken,
  without,
  type ClientAnswer,
} from './identity-clients';

const ASSERTION_SECONDS = 20;
/** Not on tokenServiceScopes: only the workload-identity path may get it. */
const VAULT = 'https://vault.azure.net/.default';

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('EntraToken workload identity for later steps, end to end', function () {
  this.timeout(180_000);
  let job: ServiceJob;
  let initialAssertion = '';

  before(async () => {
    job = await ServiceJob.start({ oidcLifetimeSeconds: ASSERTION_SECONDS });
    initialAssertion = job.fixture.cloud.issuedOidcTokens[0] ?? '';
    const expiresAt = decodeClaims(initialAssertion)?.expiresAt?.getTime() ?? 0;
    await pause(Math.max(0, expiresAt - Date.now() + 1_500));
  });
  after(async () => {
    await job.close();
  });

  function assertTokenFor(client: ClientAnswer, audience: string): void {
    assert.ok(client.token !== undefined, client.output);
    const claims = job.fixture.cloud.verifyAccessToken(client.token);
    assert.ok(claims, 'the fake Entra signed it and it has not expired');
    assert.equal(claims.aud, audience);
    assert.equal(claims.appid, job.fixture.scenario.devops.app.clientId);
  }

  describe('the federated token file', () => {
    it('holds a newer, unexpired assertion once the first one has expired, readable only by its owner', () => {
      const file = job.env.AZURE_FEDERATED_TOKEN_FILE ?? '';

      const current = readFileSync(file, 'utf8');

      assert.notEqual(current, initialAssertion);
      assert.ok(job.fixture.cloud.issuedOidcTokens.includes(current), 'the file holds an assertion Azure DevOps issued');
      assert.ok((decodeClaims(current)?.expiresAt?.getTime() ?? 0) > Date.now());
      assert.ok(file.startsWith(job.workspace.tempDirectory));
    });
  });

  describe('@azure/identity in Node, started after the first assertion expired', () => {
    for (const kind of ['workload', 'default'] as const) {
      it(`${kind === 'workload' ? 'WorkloadIdentityCredential' : 'DefaultAzureCredential'} gets a token for a scope outside the allow-list`, async () => {
        const client = await nodeClientToken(
          kind,
          VAULT,
          without(job.env, [...APP_SERVICE_VARIABLES, ...LEGACY_APP_SERVICE_VARIABLES]),
          job.workspace.workingDirectory,
        );

        assertTokenFor(client, 'https://vault.azure.net');
      });
    }
  });

  describe("Debian's Python azure-identity", () => {
    const cases = [
      {
        name: 'ManagedIdentityCredential through IDENTITY_ENDPOINT (2019-08-01)',
        kind: 'managed',
        drop: [...LEGACY_APP_SERVICE_VARIABLES, ...WORKLOAD_IDENTITY_VARIABLES],
        scope: `${AZURE_DEVOPS}/.default`,
        audience: AZURE_DEVOPS,
      },
      {
        name: 'ManagedIdentityCredential given only MSI_ENDPOINT and MSI_SECRET (2017-09-01)',
        kind: 'managed',
        drop: [...APP_SERVICE_VARIABLES, ...WORKLOAD_IDENTITY_VARIABLES],
        scope: `${AZURE_DEVOPS}/.default`,
        audience: AZURE_DEVOPS,
      },
      {
        name: 'ManagedIdentityCredential given only the workload-identity variables (token exchange)',
        kind: 'managed',
        drop: [...APP_SERVICE_VARIABLES, ...LEGACY_APP_SERVICE_VARIABLES],
        scope: VAULT,
        audience: 'https://vault.azure.net',
      },
      {
        name: 'WorkloadIdentityCredential',
        kind: 'workload',
        drop: [...APP_SERVICE_VARIABLES, ...LEGACY_APP_SERVICE_VARIABLES],
        scope: VAULT,
        audience: 'https://vault.azure.net',
      },
    ] as const;
    for (const testCase of cases) {
      it(testCase.name, async function () {
        const client = await pythonClientToken(
          testCase.kind,
          testCase.scope,
          without(job.env, testCase.drop),
          job.workspace.workingDirectory,
        );
        if (client.skip !== undefined) {
          console.log(`      skipped: ${client.skip}`);
          this.skip();
        }

        assertTokenFor(client, testCase.audience);
      });
    }
  });

  describe('Azure CLI from Debian in a later step', () => {
    function cli(extra: Record<string, string> = {}): AzureCli {
      return createAzureCli({ proxyUrl: job.proxy.url, caFile: job.fixture.cloud.caFile, env: extra });
    }

    async function assertDevOpsAccepts(result: AzResult): Promise<void> {
      assert.equal(result.code, 0, describeAzResult(result));
      const accessToken = stringField(azJsonObject(result), 'accessToken');
      const answer = await send(`${job.fixture.cloud.collectionUri}_apis/connectionData`, {
        ca: readFileSync(job.fixture.cloud.caFile, 'utf8'),
        headers: { Authorization: `Bearer ${accessToken}` },
      });
      assert.equal(answer.status, 200, 'the fake Azure DevOps accepts the token az printed');
    }

    it("az login --federated-token with the file's current assertion, then get-access-token for Azure DevOps", async function () {
      const skip = azureCliSkipReason();
      if (skip !== undefined) {
        console.log(`      skipped: ${skip}`);
        this.skip();
      }
      const az = cli();
      const login = {
        clientId: job.env.AZURE_CLIENT_ID ?? '',
        tenantId: job.env.AZURE_TENANT_ID ?? '',
        assertion: readFileSync(job.env.AZURE_FEDERATED_TOKEN_FILE ?? '', 'utf8'),
      };

      const loggedIn = await azLoginFederated(az, login);
      const token = await azGetAccessToken(az, AZURE_DEVOPS_RESOURCE);

      assert.equal(loggedIn.code, 0, describeAzResult(loggedIn));
      await assertDevOpsAccepts(token);
    });

    it('az login --identity on 2.45, through MSI_ENDPOINT and MSI_SECRET (App Service 2017-09-01), for the whole job', async function () {
      const skip = azureCliSkipReason();
      if (skip !== undefined) {
        console.log(`      skipped: ${skip}`);
        this.skip();
      }
      // msrestazure speaks 2017-09-01 with the secret header only where it believes it runs in App Service.
      const az = cli({
        MSI_ENDPOINT: job.env.MSI_ENDPOINT ?? '',
        MSI_SECRET: job.env.MSI_SECRET ?? '',
        APPSETTING_WEBSITE_SITE_NAME: 'entratoken',
      });

      const loggedIn = await az.run(['login', '--identity', '--allow-no-subscriptions', '--output', 'json']);
      const token = await azGetAccessToken(az, AZURE_DEVOPS_RESOURCE);

      assert.equal(loggedIn.code, 0, describeAzResult(loggedIn));
      await assertDevOpsAccepts(token);
    });
  });

  describe('the post-job step', () => {
    it('reports the rotation margin, deletes the file, closes the port and leaks nothing', async () => {
      const port = Number(new URL(job.env.ENTRATOKEN_SERVICE_URL ?? '').port);
      const post = await runPostJob(job.run, job.workspace.tempDirectory, job.workspace.workingDirectory);

      assert.equal(post.exitCode, 0, post.stderr);
      const rotation = post.lines
        .map((line) =>
          /rewritten (\d+) time\(s\); the oldest assertion was replaced (\d+) s after it was issued, of a (\d+) s life/.exec(line),
        )
        .find((match) => match !== null);
      assert.ok(rotation, post.lines.join('\n'));
      console.log(`      rotation: ${rotation[0]}`);
      assert.ok(Number(rotation[1]) >= 2, 'rewritten at least twice while the test waited');
      assert.ok(Number(rotation[2]) < ASSERTION_SECONDS, 'each assertion was replaced before it expired');
      assert.equal(Number(rotation[3]), ASSERTION_SECONDS);
      assert.equal(existsSync(job.env.AZURE_FEDERATED_TOKEN_FILE ?? ''), false);
      assert.equal(await portOpen(port), false);
      assertNoLeaks(post, {
        jobToken: job.fixture.cloud.jobToken,
        tokens: [...job.fixture.cloud.issuedOidcTokens, ...job.fixture.cloud.issuedAccessTokens],
      });
      assertNoLeaks(job.run, {
        jobToken: job.fixture.cloud.jobToken,
        tokens: [...job.fixture.cloud.issuedOidcTokens, ...job.fixture.cloud.issuedAccessTokens],
      });
      job.fixture.assertNoTokenFiles(job.workspace);
    });
  });
});
