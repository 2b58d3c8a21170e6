import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { trimmingProblems } from '../../scripts/build';
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
