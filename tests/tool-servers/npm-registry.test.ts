// Real npm against the loopback registry: E401 without a token, view and
// install with an _authToken line for the registry's path in .npmrc.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { send } from '../fake-cloud/test-helpers';
import { startNpmRegistry } from './npm-registry';
import { accepts, baseEnvironment, randomToken, runTool, Scratch } from './test-support';
import type { ToolResult } from './test-support';
import type { NpmRegistry } from './types';

const VERSION = '1.2.3';

for (const packageName of ['@contoso/hello', 'entra-hello']) {
  describe(`npm registry serving ${packageName}`, function () {
    const scratch = new Scratch();
    const token = randomToken();
    let registry: NpmRegistry;

    before(async function () {
      registry = await startNpmRegistry({ tls: scratch.certificates, authorize: accepts('Bearer', token), packageName, version: VERSION });
    });

    after(async function () {
      await registry.close();
      scratch.remove();
    });

    /** Runs npm with only the given .npmrc lines: no global config (this machine's sets cafile), a fresh cache, no network extras. */
    async function npm(
      args: string[],
      npmrc: string,
      trust: NodeJS.ProcessEnv = { npm_config_cafile: scratch.certificates.caFile },
    ): Promise<ToolResult & { cwd: string }> {
      const home = scratch.dir('home');
      writeFileSync(join(home, '.npmrc'), npmrc);
      writeFileSync(join(home, 'empty-global.npmrc'), '');
      const env: NodeJS.ProcessEnv = {
        ...baseEnvironment(home),
        npm_config_userconfig: join(home, '.npmrc'),
        npm_config_globalconfig: join(home, 'empty-global.npmrc'),
        npm_config_cache: join(home, 'cache'),
        npm_config_audit: 'false',
        npm_config_fund: 'false',
        npm_config_update_notifier: 'false',
        npm_config_prefer_online: 'true',
        // Fail fast: npm retries network (including TLS) errors for about 20 s by default.
        npm_config_fetch_retries: '0',
        ...trust,
      };
      const cwd = scratch.dir('project');
      return { ...(await runTool('npm', [...args, '--registry', registry.url], { env, cwd })), cwd };
    }
    const tokenLine = (): string => `${registry.url.replace(/^https:/, '')}:_authToken=${token}\n`;
    const since = (start: number): string[] => registry.requests.slice(start).map((r) => `${r.status} ${r.authorization}`);

    describe('without a token', function () {
      it('fails npm view with E401', async function () {
        const start = registry.requests.length;
        const result = await npm(['view', packageName, 'version'], '');
        assert.notEqual(result.code, 0);
        assert.match(result.stderr, /E401/);
        assert.deepEqual(since(start), ['401 none']);
      });

      it('fails npm install with E401', async function () {
        const result = await npm(['install', packageName], '');
        assert.notEqual(result.code, 0);
        assert.match(result.stderr, /E401/);
      });
    });

    describe('with a wrong token', function () {
      it('fails npm view with E401', async function () {
        const result = await npm(['view', packageName, 'version'], `${registry.url.replace(/^https:/, '')}:_authToken=not-${token}\n`);
        assert.notEqual(result.code, 0);
        assert.match(result.stderr, /E401/);
      });
    });

    describe('with the token in .npmrc', function () {
      it('answers npm view with the version, trusting the CA through npm_config_cafile', async function () {
        const start = registry.requests.length;
        const result = await npm(['view', packageName, 'version'], tokenLine());
        assert.equal(result.code, 0, result.stderr);
        assert.equal(result.stdout.trim(), VERSION);
        assert.deepEqual(since(start), ['200 bearer']);
      });

      it('answers npm view trusting the CA through NODE_EXTRA_CA_CERTS when no cafile is configured', async function () {
        const result = await npm(['view', packageName, 'version'], tokenLine(), { NODE_EXTRA_CA_CERTS: scratch.certificates.caFile });
        assert.equal(result.code, 0, result.stderr);
        assert.equal(result.stdout.trim(), VERSION);
      });

      it('installs the package, tarball included', async function () {
        const start = registry.requests.length;
        const result = await npm(['install', packageName], tokenLine());
        assert.equal(result.code, 0, result.stderr);
        const installed = readFileSync(join(result.cwd, 'node_modules', ...packageName.split('/'), 'index.js'), 'utf8');
        assert.match(installed, new RegExp(`hello from ${packageName}@${VERSION}`));
        const seen = registry.requests.slice(start).map((r) => `${r.status} ${r.authorization} ${r.path}`);
        assert.ok(
          seen.some((line) => /^200 bearer \/npm\/registry\/.*\.tgz$/.test(line)),
          seen.join('\n'),
        );
        assert.ok(
          seen.every((line) => line.startsWith('200 bearer ')),
          seen.join('\n'),
        );
      });
    });

    describe('over plain HTTPS', function () {
      it('answers 401 with a JSON error and a challenge', async function () {
        const result = await send(`${registry.url}${packageName}`, { ca: scratch.certificates.caPem });
        assert.equal(result.status, 401);
        assert.deepEqual(JSON.parse(result.body), { error: 'unauthorized' });
        assert.match(String(result.headers['www-authenticate']), /^Basic realm=/);
      });

      it('accepts every encoding of the name and points dist.tarball under the registry path', async function () {
        const spellings = [packageName, encodeURIComponent(packageName), packageName.replace('/', '%2f')];
        for (const spelling of spellings) {
          const result = await send(`${registry.url}${spelling}`, {
            ca: scratch.certificates.caPem,
            headers: { Authorization: `Bearer ${token}` },
          });
          assert.equal(result.status, 200, spelling);
          assert.ok(result.body.includes(`"tarball":"${registry.url}${packageName}/-/`), result.body);
        }
      });
    });
  });
}
