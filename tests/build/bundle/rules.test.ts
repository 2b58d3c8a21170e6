import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RuleLedger, packageOf, type Rule } from '../../../scripts/bundle/rules';
import { testTempDir } from '../../temp';

/** A project with node_modules/<name> at <version>, holding dist/esm/<file> under a nameless package.json. */
function projectWith(name: string, version: string, file: string): { root: string; file: string } {
  const root = testTempDir('rules-');
  const directory = join(root, 'node_modules', name);
  mkdirSync(join(directory, 'dist', 'esm'), { recursive: true });
  writeFileSync(join(directory, 'package.json'), JSON.stringify({ name, version }));
  writeFileSync(join(directory, 'dist', 'esm', 'package.json'), JSON.stringify({ type: 'module' }));
  writeFileSync(join(directory, 'dist', 'esm', file), '');
  return { root, file: join(directory, 'dist', 'esm', file) };
}

const RULE: Rule = { rule: 'stub lib/dist/esm/a.js', package: 'lib', versions: '>=2.0.0 <2.1.0' };

describe('rules: a rule that no longer fits fails with one line naming it', () => {
  it('finds the package of a file past nameless package.json files', () => {
    const project = projectWith('@scope/lib', '1.2.3', 'a.js');

    const found = packageOf(project.file);

    assert.equal(found?.name, '@scope/lib');
    assert.equal(found.version, '1.2.3');
  });

  it('reports nothing for a rule that matched a file of its package in range', () => {
    const project = projectWith('lib', '2.0.5', 'a.js');
    const ledger = new RuleLedger();

    ledger.record(RULE, project.file);

    assert.deepEqual(ledger.problems([RULE], project.root), []);
  });

  it('names the rule, package, range and installed version when the rule matched nothing', () => {
    const project = projectWith('lib', '2.0.5', 'a.js');

    const problems = new RuleLedger().problems([RULE], project.root);

    assert.equal(problems.length, 1);
    assert.match(
      problems[0] ?? '',
      /^trimming rule 'stub lib\/dist\/esm\/a\.js' \(package lib, checked against >=2\.0\.0 <2\.1\.0\) matched nothing; installed: lib@2\.0\.5\./,
    );
  });

  it('names the installed version when it is outside the range', () => {
    const project = projectWith('lib', '2.1.0', 'a.js');
    const ledger = new RuleLedger();

    ledger.record(RULE, project.file);

    const problems = ledger.problems([RULE], project.root);
    assert.equal(problems.length, 1);
    assert.match(problems[0] ?? '', /'stub lib\/dist\/esm\/a\.js'.*installed lib@2\.1\.0 .* is outside that range/);
  });

  it('reports a match in another package than the rule names', () => {
    const project = projectWith('other', '2.0.0', 'a.js');
    const ledger = new RuleLedger();

    ledger.record(RULE, project.file);

    assert.match(ledger.problems([RULE], project.root)[0] ?? '', /matched a file of other@2\.0\.0/);
  });
});
