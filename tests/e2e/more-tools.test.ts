import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testTempDir } from '../temp';
import { createTestCertificates } from '../fake-cloud';
import { startMavenRepository, startPypiUpload, type Authorize, type MavenRepository, type PypiUploadServer } from '../tool-servers';
import { buildWheel } from '../tool-servers/wheel';
import { failure, runPostJob, variables, type TaskRun } from './agent';
import { countRequests, Fixture, OIDC_PATH, TOKEN_PATH, type FixtureRun } from './fixture';
import { isolatedEnvironment, laterStepEnvironment, runTool } from './tool-env';

const AZURE_DEVOPS = '499b84ac-1321-427f-aa17-267ca6975798';
const PYTHON = '/usr/bin/python3';
/** Debian's Maven plugins: the only way a real `mvn dependency:get` resolves its plugin with no internet. */
const DEBIAN_MAVEN_REPO = '/usr/share/maven-repo';
const DEPENDENCY_PLUGIN = `${DEBIAN_MAVEN_REPO}/org/apache/maven/plugins/maven-dependency-plugin/3.5.0`;

function missing(command: string, args: string[]): string | undefined {
  try {
    execFileSync(command, args, { stdio: 'ignore', timeout: 60_000 });
    return undefined;
  } catch {
    return `${command} ${args.join(' ')} failed`;
  }
}

function skipWith(context: Mocha.Context, reason: string): never {
  console.log(`      skipped: ${reason} (bash .ci/run installs it)`);
  context.skip();
}

/** The user's own settings: a mirror to the feed and Debian's plugins, and no credentials. */
function userMavenSettings(directory: string, serverId: string, url: string): string {
  const path = join(directory, 'user-settings.xml');
  writeFileSync(
    path,
    `<?xml version="1.0" encoding="UTF-8"?>
<settings xmlns="http://maven.apache.org/SETTINGS/1.0.0">
  <mirrors>
    <mirror><id>${serverId}</id><mirrorOf>*,!debian</mirrorOf><url>${url}</url></mirror>
  </mirrors>
  <profiles>
    <profile>
      <id>debian</id>
      <pluginRepositories>
        <pluginRepository>
          <id>debian</id><url>file://${DEBIAN_MAVEN_REPO}</url>
          <releases><checksumPolicy>ignore</checksumPolicy></releases><snapshots><enabled>false</enabled></snapshots>
        </pluginRepository>
      </pluginRepositories>
    </profile>
  </profiles>
  <activeProfiles><activeProfile>debian</activeProfile></activeProfiles>
</settings>
`,
  );
  return path;
}

describe('EntraToken configures Maven, twine and named NuGet sources, end to end', function () {
  this.timeout(240_000);
  let fixture: Fixture;
  let maven: MavenRepository;
  let upload: PypiUploadServer;
  let caFile: string;
  let result: FixtureRun;
  let taskRun: TaskRun;
  let token: string;
  let userSettings: string;
  let tls: { keyPem: string; certPem: string };

  const authorize: Authorize = (header) => {
    const [scheme, value = ''] = (header ?? '').split(' ');
    const candidate = scheme?.toLowerCase() === 'basic' ? Buffer.from(value, 'base64').toString().split(':').slice(1).join(':') : value;
    return fixture.cloud.verifyAccessToken(candidate)?.aud === AZURE_DEVOPS;
  };

  before(async () => {
    fixture = await Fixture.start();
    const certificates = createTestCertificates(testTempDir('entra-more-tools-ca-'));
    caFile = certificates.caFile;
    tls = { keyPem: certificates.keyPem, certPem: certificates.certPem };
    maven = await startMavenRepository({ tls, authorize, groupId: 'com.contoso', artifactId: 'hello', version: '1.2.3' });
    upload = await startPypiUpload({ tls, authorize, feed: 'contoso-python' });
    userSettings = userMavenSettings(testTempDir('entra-maven-user-'), 'contoso-maven', maven.url);

    result = await fixture.run({
      inputs: {
        azureDevOpsServiceConnection: fixture.scenario.devops.connection.id,
        mavenFeeds: `contoso-maven=${maven.url}`,
        pypiUploads: upload.url,
        nugetFeeds: 'ContosoFeed=https://pkgs.contoso.example/_packaging/feed/nuget/v3/index.json',
      },
      extra: { ENTRATOKEN_MAVEN_SETTINGS: userSettings },
      expectToolFiles: true,
    });
    taskRun = result.run;
    assert.equal(taskRun.exitCode, 0, failure(taskRun));
    token = variables(taskRun).get('EntraAccessToken')?.value ?? '';
  });
  after(async () => {
    await Promise.all([maven.close(), upload.close()]);
    await fixture.close();
  });

  describe('Maven', () => {
    it('a real mvn dependency:get fails without the adapter and succeeds with it', async function () {
      const reason =
        missing('mvn', ['-v']) ??
        (existsSync(DEPENDENCY_PLUGIN)
          ? missing('test', ['-d', `${DEBIAN_MAVEN_REPO}/junit/junit`])
          : `${DEPENDENCY_PLUGIN} is missing (apt-get install libmaven-dependency-plugin-java junit4)`);
      if (reason !== undefined) skipWith(this, reason);
      const home = testTempDir('entra-maven-home-');
      const trustStore = join(home, 'truststore.p12');
      execFileSync(
        'keytool',
        [
          '-importcert',
          '-noprompt',
          '-alias',
          'test-ca',
          '-file',
          caFile,
          '-keystore',
          trustStore,
          '-storetype',
          'PKCS12',
          '-storepass',
          'changeit',
        ],
        { stdio: 'ignore' },
      );
      const env = {
        ...isolatedEnvironment(caFile),
        HOME: home,
        MAVEN_OPTS: `-Djavax.net.ssl.trustStore=${trustStore} -Djavax.net.ssl.trustStorePassword=changeit -Djavax.net.ssl.trustStoreType=PKCS12`,
      };
      const localRepository = join(home, 'repository');
      const get = (settings: string) => [
        '-B',
        '-U',
        '-s',
        settings,
        `-Dmaven.repo.local=${localRepository}`,
        'org.apache.maven.plugins:maven-dependency-plugin:3.5.0:get',
        '-Dartifact=com.contoso:hello:1.2.3',
        '-Dtransitive=false',
      ];
      const settings = laterStepEnvironment(taskRun).ENTRATOKEN_MAVEN_SETTINGS ?? '';

      const denied = await runTool('mvn', get(userSettings), env, home);
      const fetched = await runTool('mvn', get(settings), { ...env, ...laterStepEnvironment(taskRun) }, home);

      assert.notEqual(denied.code, 0, denied.output);
      assert.match(denied.output, /401|Unauthorized|Not authorized/i);
      assert.equal(fetched.code, 0, fetched.output.slice(-3000));
      assert.ok(existsSync(join(localRepository, 'com', 'contoso', 'hello', '1.2.3', 'hello-1.2.3.jar')));
      console.log(`      ${(await runTool('mvn', ['-v'], env, home)).output.split('\n')[0]?.replace(/\x1b\[[0-9;]*m/g, '') ?? ''}`);
    });

    it('merges the user settings (their mirror stays) and adds one <server> for the id, under Agent.TempDirectory', () => {
      const path = laterStepEnvironment(taskRun).ENTRATOKEN_MAVEN_SETTINGS ?? '';
      const content = readFileSync(path, 'utf8');

      assert.ok(path.startsWith(result.workspace.tempDirectory), path);
      assert.match(content, /<mirrorOf>\*,!debian<\/mirrorOf>/);
      assert.equal(content.match(/<server>/g)?.length, 1);
      assert.match(content, /<id>contoso-maven<\/id>\s*<username>entratoken<\/username>/);
    });
  });

  describe('twine', () => {
    it('a real twine upload fails without the adapter and succeeds with it', async function () {
      const reason = missing(PYTHON, ['-m', 'twine', '--version']);
      if (reason !== undefined) skipWith(this, `${reason} (apt-get install twine)`);
      const dist = testTempDir('entra-twine-dist-');
      const wheel = buildWheel('contoso-upload', '2.0.0');
      const file = join(dist, wheel.fileName);
      writeFileSync(file, wheel.bytes);
      const env = { ...isolatedEnvironment(caFile), TWINE_CERT: caFile, PYTHON_KEYRING_BACKEND: 'keyring.backends.null.Keyring' };

      const denied = await runTool(
        PYTHON,
        ['-m', 'twine', 'upload', '--non-interactive', '--repository-url', upload.url, '-u', 'entratoken', '-p', 'not-a-token', file],
        env,
        dist,
      );
      const uploadsBefore = upload.uploads.length;
      const uploaded = await runTool(
        PYTHON,
        ['-m', 'twine', 'upload', '--non-interactive', file],
        { ...env, ...laterStepEnvironment(taskRun) },
        dist,
      );

      assert.notEqual(denied.code, 0, denied.output);
      assert.equal(uploadsBefore, 0);
      assert.equal(uploaded.code, 0, uploaded.output);
      assert.deepEqual(
        upload.uploads.map((entry) => entry.fileName),
        [wheel.fileName],
      );
      console.log(`      ${(await runTool(PYTHON, ['-m', 'twine', '--version'], env, dist)).output.split('\n')[0] ?? ''}`);
    });
  });

  describe('NuGet named sources', () => {
    it('exports NuGetPackageSourceCredentials_<source> besides the credential provider entry', () => {
      const env = laterStepEnvironment(taskRun);

      assert.equal(env.NUGETPACKAGESOURCECREDENTIALS_CONTOSOFEED, `Username=entratoken;Password=${token}`);
      assert.match(env.VSS_NUGET_EXTERNAL_FEED_ENDPOINTS ?? '', /pkgs\.contoso\.example/);
    });
  });

  describe('the post-job step', () => {
    it('removes the settings.xml, and leaves no token on disk', async () => {
      const { tempDirectory, workingDirectory } = result.workspace;
      const settings = laterStepEnvironment(taskRun).ENTRATOKEN_MAVEN_SETTINGS ?? '';
      assert.ok(readFileSync(settings, 'utf8').includes(token));

      const post = await runPostJob(taskRun, tempDirectory, workingDirectory);

      assert.equal(post.exitCode, 0, post.stderr);
      assert.equal(existsSync(settings), false);
      fixture.assertNoTokenFiles({ tempDirectory, workingDirectory });
    });
  });

  describe('several upload URLs and additional tokens in one step', () => {
    let second: PypiUploadServer;
    let run: FixtureRun;
    /** Three scopes: two new ones and the main (Azure DevOps) one again, which costs no extra request. */
    const SCOPES = {
      Graph: 'https://graph.microsoft.com/.default',
      Arm: 'https://management.azure.com/.default',
      DevOps: `${AZURE_DEVOPS}/.default`,
    };

    before(async () => {
      second = await startPypiUpload({ tls, authorize, feed: 'second-feed' });
      run = await fixture.run({
        inputs: {
          azureDevOpsServiceConnection: fixture.scenario.devops.connection.id,
          additionalTokens: Object.entries(SCOPES)
            .map(([name, scope]) => `${name}=${scope}`)
            .join('\n'),
          pypiUploads: `${upload.url}\n${second.url}`,
        },
        expectToolFiles: true,
      });
      assert.equal(run.run.exitCode, 0, failure(run.run));
    });
    after(() => second.close());

    it('costs 1 OIDC request and one token request per distinct scope (3 here)', () => {
      const oidc = countRequests(run.requests, OIDC_PATH);
      const tokens = countRequests(run.requests, TOKEN_PATH);
      const discovery = countRequests(run.requests, /openid-configuration$/);

      assert.equal(oidc, 1);
      assert.equal(tokens, 3);
      assert.ok(discovery <= 1, `${String(discovery)} discovery requests`);
      console.log(`      requests for 3 scopes: ${String(oidc)} OIDC, ${String(tokens)} token, ${String(discovery)} openid-configuration`);
    });

    it("exports each token as secret job and output variable with NAME_expiresOn, the main scope's once", () => {
      const exported = variables(run.run);

      for (const [name, scope] of Object.entries(SCOPES)) {
        const job = exported.get(name);
        const output = exported.get(`output:${name}`);
        assert.equal(job?.secret, true, name);
        assert.equal(output?.secret, true, name);
        assert.equal(output.value, job.value);
        assert.equal(fixture.cloud.verifyAccessToken(job.value)?.aud, scope.slice(0, -'/.default'.length));
        assert.ok(!Number.isNaN(Date.parse(exported.get(`output:${name}_expiresOn`)?.value ?? '')), name);
      }
      assert.equal(exported.get('DevOps')?.value, exported.get('EntraAccessToken')?.value);
      assert.notEqual(exported.get('Graph')?.value, exported.get('Arm')?.value);
    });

    it('writes a .pypirc with a section per feed that a real twine uses', async function () {
      const reason = missing(PYTHON, ['-m', 'twine', '--version']);
      if (reason !== undefined) skipWith(this, `${reason} (apt-get install twine)`);
      const later = laterStepEnvironment(run.run);
      const dist = testTempDir('entra-twine-dist2-');
      const wheel = buildWheel('contoso-second', '3.0.0');
      writeFileSync(join(dist, wheel.fileName), wheel.bytes);
      const env = { ...isolatedEnvironment(caFile), TWINE_CERT: caFile, PYTHON_KEYRING_BACKEND: 'keyring.backends.null.Keyring', ...later };

      const uploaded = await runTool(
        PYTHON,
        [
          '-m',
          'twine',
          'upload',
          '--non-interactive',
          '--config-file',
          later.ENTRATOKEN_PYPIRC ?? '',
          '-r',
          'second-feed',
          join(dist, wheel.fileName),
        ],
        env,
        dist,
      );

      assert.equal(uploaded.code, 0, uploaded.output);
      assert.deepEqual(
        second.uploads.map((entry) => entry.fileName),
        [wheel.fileName],
      );
      assert.match(readFileSync(later.ENTRATOKEN_PYPIRC ?? '', 'utf8'), /^\[contoso-python\]$/m);
    });
  });
});
