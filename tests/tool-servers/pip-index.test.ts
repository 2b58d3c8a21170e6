// Real pip against the loopback simple index: nothing found without
// credentials, download and install with Basic credentials from the index URL.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { send } from '../fake-cloud/test-helpers';
import { startPipIndex } from './pip-index';
import { accepts, baseEnvironment, randomToken, runTool, Scratch } from './test-support';
import type { ToolResult } from './test-support';
import type { PipIndex } from './types';

const PROJECT = 'Entra.Hello';
const REQUIREMENT = 'entra-hello==1.2.3';

describe('pip index', function () {
  const scratch = new Scratch();
  const token = randomToken();
  let index: PipIndex;
  let python: string;

  before(async function () {
    // The real interpreter, not a pyenv shim: the shim needs the HOME we replace.
    const found = await runTool('python3', ['-c', 'import sys; print(sys.executable)'], { env: process.env });
    assert.equal(found.code, 0, found.stderr);
    python = found.stdout.trim();
    index = await startPipIndex({
      tls: scratch.certificates,
      authorize: accepts('Basic', Buffer.from(`user:${token}`).toString('base64')),
      projectName: PROJECT,
      version: '1.2.3',
    });
  });

  after(async function () {
    await index.close();
    scratch.remove();
  });

  const withUserinfo = (password: string): string => index.url.replace('https://', `https://user:${encodeURIComponent(password)}@`);
  const since = (start: number): string[] => index.requests.slice(start).map((r) => `${r.status} ${r.authorization}`);

  /** pip with no config files (this machine's add find-links, extra indexes and constraints), our CA only, no prompts. */
  function pip(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<ToolResult> {
    const env = { ...baseEnvironment(scratch.dir('home')), PIP_CONFIG_FILE: '/dev/null', ...extraEnv };
    const common = ['--cert', scratch.certificates.caFile, '--no-input', '--disable-pip-version-check', '--no-cache-dir'];
    return runTool(python, ['-m', 'pip', ...args, ...common], { env });
  }
  const download = (target: string, indexArgs: string[], extraEnv?: NodeJS.ProcessEnv): Promise<ToolResult> =>
    pip(['download', REQUIREMENT, '--no-deps', '--only-binary=:all:', '-d', target, ...indexArgs], extraEnv);

  describe('without credentials', function () {
    it('finds nothing, after a 401', async function () {
      const start = index.requests.length;
      const target = scratch.dir('download');
      const result = await download(target, ['--index-url', index.url]);
      assert.notEqual(result.code, 0);
      assert.match(result.stderr, /No matching distribution/);
      assert.deepEqual(since(start), ['401 none']);
      assert.deepEqual(readdirSync(target), []);
    });
  });

  describe('with a wrong password', function () {
    it('finds nothing', async function () {
      const start = index.requests.length;
      const result = await download(scratch.dir('download'), ['--index-url', withUserinfo(`not-${token}`)]);
      assert.notEqual(result.code, 0);
      assert.deepEqual(since(start), ['401 basic']);
    });
  });

  describe('with the token as the password in the index URL', function () {
    it('downloads the wheel, sending Basic to the index and the file', async function () {
      const start = index.requests.length;
      const target = scratch.dir('download');
      const result = await download(target, ['--index-url', withUserinfo(token)]);
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(readdirSync(target), ['entra_hello-1.2.3-py3-none-any.whl']);
      assert.deepEqual(since(start), ['200 basic', '200 basic']);
    });

    it('downloads when the URL comes from PIP_INDEX_URL', async function () {
      const target = scratch.dir('download');
      const result = await download(target, [], { PIP_INDEX_URL: withUserinfo(token) });
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(readdirSync(target), ['entra_hello-1.2.3-py3-none-any.whl']);
    });

    it('installs a wheel python can import', async function () {
      const target = scratch.dir('site');
      const installed = await pip(['install', REQUIREMENT, '--no-deps', '--target', target, '--index-url', withUserinfo(token)]);
      assert.equal(installed.code, 0, installed.stderr);
      const imported = await runTool(python, ['-c', 'import entra_hello; print(entra_hello.VERSION)'], {
        env: { ...baseEnvironment(scratch.dir('home')), PYTHONPATH: target },
      });
      assert.equal(imported.stdout.trim(), '1.2.3', imported.stderr);
    });
  });

  describe('over plain HTTPS', function () {
    it('answers 401 with a Basic challenge', async function () {
      const result = await send(`${index.url}entra-hello/`, { ca: scratch.certificates.caPem });
      assert.equal(result.status, 401);
      assert.equal(result.headers['www-authenticate'], 'Basic realm="fake"');
    });
  });
});
