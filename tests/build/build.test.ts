import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { trimmingProblems } from '../../scripts/build';
import { COLD_FOLDER } from '../../scripts/bundle/cold';
import { TRIMMING_RULES } from '../../scripts/bundle/trimming';
import { buildOnce } from './built';

describe('build: every trimming rule fits the installed packages', () => {
  it('builds every bundle without an error', async () => {
    const { bundles, failures } = await buildOnce();

    assert.deepEqual(failures, []);
    assert.ok(bundles.length >= 2, `expected dist/index.js and dist/post.js, got ${String(bundles.length)}`);
  });

  it('reports no rule that matched nothing, another package, or a version outside its range', async () => {
    const { ledger } = await buildOnce();

    assert.deepEqual(trimmingProblems(ledger), []);
  });

  it('saw each rule match at least one file', async () => {
    const { ledger } = await buildOnce();

    const unmatched = TRIMMING_RULES.filter((rule) => ledger.matched(rule).length === 0).map((rule) => rule.rule);
    assert.deepEqual(unmatched, []);
  });

  it('names every rule once, so a failure points at exactly one', () => {
    const names = TRIMMING_RULES.map((rule) => rule.rule);

    assert.equal(new Set(names).size, names.length);
  });

  it('writes a task bundle in which the FormData define left no typeof FormData probe', async () => {
    const { bundles } = await buildOnce();
    const task = bundles.find((bundle) => bundle.outfile.endsWith('index.js'));
    assert.ok(task);

    const text = readFileSync(task.outfile, 'utf8');
    assert.ok(!text.includes('typeof FormData'));
  });
});

describe('build: cold groups are files beside their bundle, read on first use', () => {
  it('writes one file per bundle and group, and each bundle names its own and holds none of their code', async () => {
    const { bundles } = await buildOnce();
    const folder = join(dirname(bundles[0]?.outfile ?? ''), COLD_FOLDER);

    const files = readdirSync(folder).sort();

    assert.deepEqual(files, [
      'index.azure-devops-node-api.js',
      'index.jsonwebtoken.js',
      'index.minimatch.js',
      'index.proxy-agents.js',
      'post.minimatch.js',
    ]);
    for (const { outfile } of bundles) {
      const text = readFileSync(outfile, 'utf8');
      const own = files.filter((file) => file.startsWith(`${basename(outfile, '.js')}.`));
      assert.ok(own.length > 0, outfile);
      for (const file of own) assert.ok(text.includes(JSON.stringify(file)), `${outfile} loads ${file}`);
      assert.ok(!text.includes('compileFunction'), `${outfile} compiles no code from strings`);
    }
  });

  it('writes groups that load on their own and export the modules the bundle forwards to', async () => {
    const { bundles } = await buildOnce();
    const folder = join(dirname(bundles[0]?.outfile ?? ''), COLD_FOLDER);

    const jsonwebtoken: unknown = await import(join(folder, 'index.jsonwebtoken.js'));
    const proxies: unknown = await import(join(folder, 'index.proxy-agents.js'));

    assert.equal(typeof Reflect.get(Reflect.get(Object(jsonwebtoken), 'jsonwebtoken'), 'sign'), 'function');
    assert.equal(typeof Reflect.get(Reflect.get(Object(proxies), 'https-proxy-agent'), 'HttpsProxyAgent'), 'function');
  });
});
