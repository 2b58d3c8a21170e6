// Real git against the loopback server: refused without credentials, served
// with an Authorization extraheader given on the command line or in GIT_CONFIG_* variables.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startGitServer } from './git-server';
import { accepts, baseEnvironment, randomToken, runTool, Scratch } from './test-support';
import type { GitServer } from './types';

const README = '# hello\n';

describe('git server', function () {
  const scratch = new Scratch();
  const token = randomToken();
  let server: GitServer;
  let repo: string;

  before(async function () {
    server = await startGitServer({
      tls: scratch.certificates,
      authorize: accepts('Bearer', token),
      repositories: { hello: { 'README.md': README, 'src/nested/data.txt': 'data\n' }, other: {} },
    });
    repo = server.repoUrl('hello');
  });

  after(async function () {
    await server.close();
    scratch.remove();
  });

  /** Git with no system/user config, our CA only, and no prompting. */
  function gitEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return {
      ...baseEnvironment(scratch.dir('home')),
      GIT_SSL_CAINFO: scratch.certificates.caFile,
      GIT_TERMINAL_PROMPT: '0',
      GIT_CONFIG_NOSYSTEM: '1',
      ...extra,
    };
  }

  const header = (): string => `AUTHORIZATION: bearer ${token}`;
  const recordsSince = (start: number): GitServer['requests'] => server.requests.slice(start);

  describe('without credentials', function () {
    it('refuses ls-remote with 401 and git fails fast', async function () {
      const start = server.requests.length;
      const result = await runTool('git', ['ls-remote', repo], { env: gitEnv() });
      assert.notEqual(result.code, 0);
      assert.match(result.stderr, /terminal prompts disabled|Authentication failed/);
      assert.deepEqual(
        recordsSince(start).map((r) => [r.status, r.authorization]),
        [[401, 'none']],
      );
    });

    it('refuses clone', async function () {
      const target = join(scratch.dir('clone'), 'hello');
      const result = await runTool('git', ['clone', '--quiet', repo, target], { env: gitEnv() });
      assert.notEqual(result.code, 0);
    });
  });

  describe('with a wrong token', function () {
    it('refuses ls-remote', async function () {
      const start = server.requests.length;
      const result = await runTool('git', ['-c', `http.${server.url}/.extraheader=AUTHORIZATION: bearer not-${token}`, 'ls-remote', repo], {
        env: gitEnv(),
      });
      assert.notEqual(result.code, 0);
      assert.deepEqual(
        recordsSince(start).map((r) => [r.status, r.authorization]),
        [[401, 'bearer']],
      );
    });
  });

  describe('with an extraheader on the command line', function () {
    it('lists the main branch', async function () {
      const start = server.requests.length;
      const result = await runTool('git', ['-c', `http.${server.url}/.extraheader=${header()}`, 'ls-remote', repo], { env: gitEnv() });
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /^[0-9a-f]{40}\trefs\/heads\/main$/m);
      assert.ok(recordsSince(start).every((r) => r.status === 200 && r.authorization === 'bearer'));
    });

    it('clones the files of the initial commit', async function () {
      const target = join(scratch.dir('clone'), 'hello');
      const result = await runTool('git', ['-c', `http.${server.url}/.extraheader=${header()}`, 'clone', '--quiet', repo, target], {
        env: gitEnv(),
      });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(readFileSync(join(target, 'README.md'), 'utf8'), README);
      assert.equal(readFileSync(join(target, 'src', 'nested', 'data.txt'), 'utf8'), 'data\n');
    });
  });

  describe('with an extraheader from GIT_CONFIG_COUNT variables', function () {
    const configEnv = (): NodeJS.ProcessEnv =>
      gitEnv({ GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: `http.${repo}.extraheader`, GIT_CONFIG_VALUE_0: header() });

    it('lists the main branch', async function () {
      const start = server.requests.length;
      const result = await runTool('git', ['ls-remote', repo], { env: configEnv() });
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /refs\/heads\/main$/m);
      assert.deepEqual([...new Set(recordsSince(start).map((r) => `${r.status} ${r.authorization}`))], ['200 bearer']);
    });

    it('clones over protocol v2 and v0', async function () {
      for (const version of ['2', '0']) {
        const target = join(scratch.dir('clone'), 'hello');
        const result = await runTool('git', ['-c', `protocol.version=${version}`, 'clone', '--quiet', repo, target], { env: configEnv() });
        assert.equal(result.code, 0, `v${version}: ${result.stderr}`);
        assert.equal(readFileSync(join(target, 'README.md'), 'utf8'), README);
      }
    });
  });
});
