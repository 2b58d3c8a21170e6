import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../scripts/build';
import { isRecord, readJsonObject, stringField } from '../../scripts/manifests';
import { pngSize } from './png';

const manifest = readJsonObject(join(ROOT, 'vss-extension.json'));
const overrides = (name: string) => readJsonObject(join(ROOT, 'overrides', `${name}.json`));

function addressableFiles(): string[] {
  const files = manifest.files;
  assert.ok(Array.isArray(files));
  return files
    .filter(isRecord)
    .filter((file) => file.addressable === true)
    .map((file) => stringField(file, 'path', 'files[]'));
}

describe('vss-extension.json: the Marketplace listing', () => {
  it('has a 128×128 PNG icon', () => {
    assert.ok(isRecord(manifest.icons));

    const icon = stringField(manifest.icons, 'default', 'icons');

    assert.deepEqual(pngSize(join(ROOT, icon)), { width: 128, height: 128 });
  });

  it('shows overview.md, and every image it references is packaged as addressable', () => {
    const overview = readFileSync(join(ROOT, 'overview.md'), 'utf8');

    const markdown = [...overview.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((match) => match[1] ?? '');
    const html = [...overview.matchAll(/<img\b[^>]*\bsrc="([^"]+)"/g)].map((match) => match[1] ?? '');
    // Absolute images live in the repository (they would push the .vsix over its size budget).
    const images = [...markdown, ...html].filter((src) => !/^https:\/\//.test(src));

    assert.ok(images.includes('images/flow@2x.png'), 'overview.md shows no flow diagram');
    for (const image of images) assert.ok(addressableFiles().includes(image), `${image} is not an addressable file of the extension`);
  });

  it('is listed under Azure Pipelines', () => {
    assert.deepEqual(manifest.categories, ['Azure Pipelines']);
  });
});

describe('overrides: development and release builds', () => {
  it('the dev build is a private extension of its own', () => {
    const dev = overrides('dev');

    assert.equal(dev.id, 'entra-token-dev');
    assert.equal(dev.public, false);
    assert.match(stringField(dev, 'name', 'overrides/dev.json'), / \(dev\)$/);
  });

  it('the release build is public under the manifest id', () => {
    const release = overrides('release');

    assert.equal(release.public, true);
    assert.equal(release.id ?? manifest.id, 'entra-token');
  });
});
