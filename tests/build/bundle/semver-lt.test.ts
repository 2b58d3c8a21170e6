import assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';
import { lt as semverLt } from 'semver';
import { SEMVER_LT } from '../../../scripts/bundle/semver-lt';

// 17 versions → 289 ordered pairs: releases, numeric and alphanumeric prereleases (SemVer 2.0 §11's own list), build
// metadata, a leading v, and the versions task-lib actually compares (Node's and the agent's).
const VERSIONS = [
  '0.0.0',
  '0.1.0',
  '1.0.0-1',
  '1.0.0-alpha',
  '1.0.0-alpha.1',
  '1.0.0-alpha.beta',
  '1.0.0-beta',
  '1.0.0-beta.2',
  '1.0.0-beta.11',
  '1.0.0-rc.1',
  '1.0.0',
  '1.0.0+build.5',
  'v1.2.3',
  '2.0.0',
  '3.232.1',
  '10.0.0',
  '20.19.0',
];

function bundledLt(): (a: string, b: string) => unknown {
  const sandbox = { exports: {} };
  runInNewContext(SEMVER_LT, sandbox);
  const lt: unknown = Reflect.get(sandbox.exports, 'lt');
  if (typeof lt !== 'function') throw new Error('SEMVER_LT exports no lt()');
  return (a, b) => {
    const result: unknown = Reflect.apply(lt, undefined, [a, b]);
    return result;
  };
}

describe('semver-lt: the lt() bundled for task-lib agrees with semver 5.7', () => {
  it('gives semver’s answer for all 289 ordered pairs', () => {
    const lt = bundledLt();

    const disagreements = VERSIONS.flatMap((a) => VERSIONS.map((b) => [a, b] as const)).filter(([a, b]) => lt(a, b) !== semverLt(a, b));
    assert.equal(VERSIONS.length ** 2, 289);
    assert.deepEqual(disagreements, []);
  });

  it('throws on what is not a version, as semver does', () => {
    const lt = bundledLt();

    assert.throws(() => semverLt('1.2', '1.2.3'), /Invalid Version: 1\.2/);
    // Compiled in another realm, so its TypeError is not this realm's class; the name and message are.
    assert.throws(() => lt('1.2', '1.2.3'), { name: 'TypeError', message: 'Invalid Version: 1.2' });
  });
});
