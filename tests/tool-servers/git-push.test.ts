// The git server beyond a small clone: pushes through receive-pack (a chunked
// upload) and fetches whose request body git gzips.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startGitServer } from './git-server';
import { accepts, baseEnvironment, randomToken, runTool, Scratch } from './test-support';
import type { ToolResult } from './test-support';
import type { GitServer } from './types';

const BRANCHES = 40;

/** A fast-import stream: BRANCHES commits on main, each on its own branch, so a fetch wants many distinct objects. */
function manyBranches(): string {
  let stream = '';
  for (let i = 0; i < BRANCHES; i++) {
    stream +=
      `commit refs/heads/b${i}\ncommitter Tool Server <tool-server@example.invalid> 0 +0000\ndata 7\nbranch\n` +
      `from refs/heads/main\nM 644 inline f${i}.txt\ndata ${String(i).length + 1}\n${i}\n\n`;
  }
  return stream;
}

describe('git server pushes and large requests', function () {
  const scratch = new Scratch();
  const token = randomToken();
  let server: GitServer;
  let withToken: NodeJS.ProcessEnv;
  let withoutToken: NodeJS.ProcessEnv;

  const git = async (args: string[], env: NodeJS.ProcessEnv, cwd?: string, input?: string): Promise<ToolResult> =>
    runTool('git', ['-c', 'user.name=Tester', '-c', 'user.email=tester@example.invalid', ...args], { env, cwd, input });
  const ok = (result: ToolResult): void => {
    assert.equal(result.code, 0, result.stderr);
  };

  before(async function () {
    server = await startGitServer({
      tls: scratch.certificates,
      authorize: accepts('Bearer', token),
      repositories: { pushed: { 'a.txt': 'a\n' }, many: { 'a.txt': 'a\n' } },
    });
    withoutToken = {
      ...baseEnvironment(scratch.dir('home')),
      GIT_SSL_CAINFO: scratch.certificates.caFile,
      GIT_TERMINAL_PROMPT: '0',
      GIT_CONFIG_NOSYSTEM: '1',
    };
    withToken = {
      ...withoutToken,
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: `http.${server.url}/.extraheader`,
      GIT_CONFIG_VALUE_0: `AUTHORIZATION: bearer ${token}`,
    };
  });

  after(async function () {
    await server.close();
    scratch.remove();
  });

  describe('push', function () {
    let work: string;

    before(async function () {
      work = join(scratch.dir('work'), 'pushed');
      ok(await git(['clone', '--quiet', server.repoUrl('pushed'), work], withToken));
      // 256 KiB that does not compress: more than the http.postBuffer set below, so git uploads chunked.
      writeFileSync(join(work, 'blob.bin'), randomBytes(256 * 1024));
      ok(await git(['checkout', '--quiet', '-b', 'feature'], withToken, work));
      ok(await git(['add', 'blob.bin'], withToken, work));
      ok(await git(['commit', '--quiet', '-m', 'big blob'], withToken, work));
    });

    it('is refused without credentials', async function () {
      const start = server.requests.length;
      const result = await git(['push', 'origin', 'feature'], withoutToken, work);
      assert.notEqual(result.code, 0);
      assert.deepEqual(
        server.requests.slice(start).map((r) => [r.status, r.authorization]),
        [[401, 'none']],
      );
    });

    it('is accepted with the token, in a chunked upload', async function () {
      const result = await git(
        ['-c', 'http.postBuffer=65536', 'push', 'origin', 'feature'],
        { ...withToken, GIT_TRACE_CURL: '1', GIT_TRACE_CURL_NO_DATA: '1' },
        work,
      );
      ok(result);
      assert.match(result.stderr, /Send header: Transfer-Encoding: chunked/);
      const remote = await git(['ls-remote', server.repoUrl('pushed')], withToken);
      assert.match(remote.stdout, /\trefs\/heads\/feature$/m);
    });
  });

  describe('a fetch whose request body git gzips', function () {
    before(async function () {
      const work = join(scratch.dir('work'), 'many');
      ok(await git(['clone', '--quiet', server.repoUrl('many'), work], withToken));
      ok(await git(['fast-import', '--quiet'], withToken, work, manyBranches()));
      ok(await git(['push', '--quiet', 'origin', 'refs/heads/*:refs/heads/*'], withToken, work));
    });

    for (const version of ['0', '2']) {
      it(`is served over protocol v${version}`, async function () {
        const target = join(scratch.dir('mirror'), 'many.git');
        const env = { ...withToken, GIT_TRACE_CURL: '1', GIT_TRACE_CURL_NO_DATA: '1' };
        const result = await git(['-c', `protocol.version=${version}`, 'clone', '--mirror', server.repoUrl('many'), target], env);
        ok(result);
        assert.match(result.stderr, /Send header: Content-Encoding: gzip/);
        const branches = await git(['for-each-ref', '--format=%(refname)', 'refs/heads'], withoutToken, target);
        assert.equal(branches.stdout.trim().split('\n').length, BRANCHES + 1);
      });
    }
  });
});
