import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { testTempDir } from '../temp';
import { createTestCertificates } from '../fake-cloud';
import { startGitServer, type GitServer } from '../tool-servers';
import { BUNDLE, failure, variables, type EndpointSpec } from './agent';
import { CONTAINER_WORK, ContainerJob, containersUnsupported } from './container';
import { countRequests, Fixture, OIDC_PATH } from './fixture';
import { isolatedEnvironment, laterStepEnvironment } from './tool-env';

const AZURE_DEVOPS = '499b84ac-1321-427f-aa17-267ca6975798';

describe('EntraToken in a container job (parent pid 0, paths mapped), end to end', function () {
  this.timeout(120_000);
  let fixture: Fixture;
  let git: GitServer;
  let caFile: string;
  let container: ContainerJob | undefined;
  let hostWork: string;
  const bundle = `${CONTAINER_WORK}/_tasks/EntraToken_${randomUUID()}/1.0.0/dist/index.js`;
  const sources = `${CONTAINER_WORK}/1/s`;

  before(async function () {
    const unsupported = containersUnsupported();
    if (unsupported !== undefined) {
      console.log(`      container job scenario skipped: ${unsupported}`);
      this.skip();
    }
    fixture = await Fixture.start();
    const certificates = createTestCertificates(testTempDir('entra-container-ca-'));
    caFile = certificates.caFile;
    git = await startGitServer({
      tls: { keyPem: certificates.keyPem, certPem: certificates.certPem },
      authorize: (header) => {
        const [scheme, value = ''] = (header ?? '').split(' ');
        const token = scheme?.toLowerCase() === 'basic' ? Buffer.from(value, 'base64').toString().split(':').slice(1).join(':') : value;
        return fixture.cloud.verifyAccessToken(token)?.aud === AZURE_DEVOPS;
      },
      repositories: { app: { 'README.md': '# app\n' } },
    });
    hostWork = testTempDir('entra-container-work-');
    for (const folder of ['_temp', '1/s']) mkdirSync(join(hostWork, folder), { recursive: true });
    cpSync(join(BUNDLE, '..'), join(hostWork, bundle.slice(CONTAINER_WORK.length + 1), '..'), { recursive: true });
    container = await ContainerJob.start(hostWork);
  });
  after(async () => {
    container?.remove();
    if (container) await Promise.all([git.close(), fixture.close()]);
  });

  function containerEnvironment(extra: Record<string, string> = {}): Record<string, string> {
    const { env } = fixture.prepare({
      inputs: {
        azureDevOpsServiceConnection: fixture.scenario.devops.connection.id,
        tokenService: 'true',
        gitOrganizations: `${git.url}/contoso`,
      },
    });
    return {
      ...env,
      AGENT_TEMPDIRECTORY: `${CONTAINER_WORK}/_temp`,
      BUILD_SOURCESDIRECTORY: sources,
      SYSTEM_DEFAULTWORKINGDIRECTORY: sources,
      AGENT_CONTAINERNETWORK: 'vsts_network_1',
      ...extra,
    };
  }

  it('runs its steps with parent pid 0, as docker exec does', async () => {
    const step = await container?.exec(
      process.execPath,
      ['-e', 'process.stdout.write(String(process.ppid))'],
      { PATH: process.env.PATH ?? '' },
      sources,
    );

    assert.equal(step?.stdout, '0', `exit ${String(step?.code)}: ${step?.stderr ?? ''}`);
  });

  it('keeps the token service for later container steps, past the liveness check, until the post-job step stops it', async () => {
    const job = container ?? assert.fail('no container');
    const env = containerEnvironment();

    const run = await job.runTask(bundle, env, sources);
    assert.equal(run.exitCode, 0, failure(run) ?? run.stderr);
    const workspace = { tempDirectory: join(hostWork, '_temp'), workingDirectory: join(hostWork, '1/s') };
    fixture.checkNoLeaks({ run, workspace, requests: [], ms: 0 }, false);
    const later = { ...isolatedEnvironment(caFile), ...laterStepEnvironment(run) };
    // While the job runs, the one token on disk is the federated token file, named by its container path.
    const tokenFile = later.AZURE_FEDERATED_TOKEN_FILE ?? '';
    assert.ok(tokenFile.startsWith(`${CONTAINER_WORK}/_temp/`), tokenFile);
    assert.deepEqual(fixture.tokenFiles(workspace), [join(hostWork, '_temp', basename(tokenFile))]);
    // The service checks its agent every 5 s; a parent pid of 0 must not read as "the agent is gone".
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    const cloned = await job.exec('git', ['clone', git.repoUrl('app'), join(testTempDir('entra-container-clone-'), 'app')], later, sources);
    const recorded = run.commands.find((c) => c.area === 'task.settaskvariable' && c.properties.variable === 'EntraToken.Service');
    const post = await job.runTask(
      bundle.replace(/index\.js$/, 'post.js'),
      { ...env, VSTS_TASKVARIABLE_ENTRATOKEN_SERVICE: recorded?.message ?? '' },
      sources,
    );

    assert.equal(laterStepEnvironment(run).GIT_CONFIG_VALUE_0, '', 'the reset entry comes first');
    assert.match(
      laterStepEnvironment(run).GIT_CONFIG_VALUE_1 ?? '',
      new RegExp(`${CONTAINER_WORK}/_tasks/`),
      'the helper runs the bundle by its container path',
    );
    assert.equal(cloned.code, 0, cloned.stderr);
    assert.equal(post.exitCode, 0, post.stderr);
    assert.ok(
      post.lines.some((line) => line.startsWith('Stopped the token service')),
      post.lines.join('\n'),
    );
    const health = await job.exec(
      process.execPath,
      [
        '-e',
        `require('http').get(${JSON.stringify(later.ENTRATOKEN_SERVICE_URL ?? '')}, () => process.exit(0)).on('error', () => process.exit(7))`,
      ],
      { PATH: process.env.PATH ?? '' },
      sources,
    );
    assert.equal(health.code, 7, 'the service port is closed inside the container');
    fixture.assertNoTokenFiles(workspace);
  });
});

describe('EntraToken in a classic release pipeline, end to end', () => {
  let fixture: Fixture;

  before(async () => {
    fixture = await Fixture.start({ hubName: 'release' });
  });
  after(async () => {
    await fixture.close();
  });

  it('reads the job token from SystemVssConnection, without "allow scripts to access the OAuth token"', async () => {
    const release = {
      SYSTEM_HOSTTYPE: 'release',
      RELEASE_RELEASEID: '42',
      RELEASE_RELEASENAME: 'Release-42',
      RELEASE_DEFINITIONNAME: 'Deploy platform',
      RELEASE_ENVIRONMENTNAME: 'Production',
      RELEASE_ATTEMPTNUMBER: '1',
      AGENT_RELEASEDIRECTORY: testTempDir('entra-release-'),
    };

    // The environment has no SYSTEM_ACCESSTOKEN: the agent sets that only for "allow scripts to access the OAuth token".
    const { run, requests } = await fixture.run({ extra: release });

    assert.equal(run.exitCode, 0, failure(run) ?? run.stderr);
    assert.equal(countRequests(requests, /\/hubs\/release\/plans\/[^/]+\/jobs\/[^/]+\/oidctoken$/), 1);
    assert.equal(fixture.cloud.verifyAccessToken(variables(run).get('EntraAccessToken')?.value ?? '')?.aud, AZURE_DEVOPS);
  });
});

describe('EntraToken on Azure DevOps Server, end to end', () => {
  let fixture: Fixture;
  const server = { SYSTEM_SERVERTYPE: 'OnPremises', SYSTEM_OIDCREQUESTURI: '' };

  before(async () => {
    fixture = await Fixture.start();
  });
  after(async () => {
    await fixture.close();
  });

  it('fails a federated connection in one line that says federation needs Azure DevOps Services, before any request', async () => {
    const { run, requests } = await fixture.run({ extra: server });

    assert.equal(run.exitCode, 1);
    assert.match(
      failure(run) ?? '',
      /^Workload identity federation needs Azure DevOps Services.*'OnPremises'.*client secret or a certificate \(connectionType: azureRM\)/,
    );
    assert.equal(run.commands.filter((c) => c.area === 'task.complete').length, 1);
    assert.equal(countRequests(requests, OIDC_PATH), 0);
  });

  it('works with the alternative it names: an ARM connection with a client secret', async () => {
    const app = { tenantId: fixture.scenario.tenantId, clientId: randomUUID(), secret: `s-${randomUUID()}` };
    fixture.cloud.addApp({ tenantId: app.tenantId, clientId: app.clientId, federatedCredentials: [], clientSecrets: [app.secret] });
    const endpoint: EndpointSpec = {
      id: randomUUID(),
      scheme: 'ServicePrincipal',
      parameters: {
        authenticationType: 'spnKey',
        tenantid: app.tenantId,
        serviceprincipalid: app.clientId,
        serviceprincipalkey: app.secret,
      },
      data: { activeDirectoryAuthority: fixture.cloud.url },
    };

    const { run } = await fixture.run({
      inputs: { connectionType: 'azureRM', azureSubscription: endpoint.id, scope: 'https://management.azure.com' },
      endpoints: [endpoint],
      extra: server,
    });

    assert.equal(run.exitCode, 0, failure(run) ?? run.stderr);
    assert.equal(fixture.cloud.verifyAccessToken(variables(run).get('EntraAccessToken')?.value ?? '')?.appid, app.clientId);
    assert.ok(
      run.lines.every((line) => !line.includes(app.secret)),
      'the client secret is never printed',
    );
  });
});
