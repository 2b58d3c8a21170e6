import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT } from '../../scripts/build';
import { readJsonObject, readTaskManifest, stringField, taskManifestPaths } from '../../scripts/manifests';

describe('version sync', () => {
  it('package.json, vss-extension.json and every task.json carry one version', () => {
    const versions = new Map<string, string>([
      ['package.json', stringField(readJsonObject(join(ROOT, 'package.json')), 'version', 'package.json')],
      ['vss-extension.json', stringField(readJsonObject(join(ROOT, 'vss-extension.json')), 'version', 'vss-extension.json')],
      ...taskManifestPaths().map((path): [string, string] => [path.slice(ROOT.length + 1), readTaskManifest(path).version]),
    ]);

    const distinct = new Set(versions.values());

    assert.equal(distinct.size, 1, `versions drifted: ${[...versions].map(([file, version]) => `${file} ${version}`).join(', ')}`);
  });

  it('no overrides file changes the version', () => {
    for (const file of ['dev.json', 'release.json']) {
      assert.equal(readJsonObject(join(ROOT, 'overrides', file)).version, undefined, `overrides/${file} sets a version`);
    }
  });
});
