import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { COLD_FOLDER } from '../../../scripts/bundle/cold';
import { STUBS } from '../../../scripts/bundle/stubs';
import { buildOnce } from '../built';

/** Every module (in any bundle, cold groups included) that imports a file ending in `file`. */
async function importersOf(file: string): Promise<string[]> {
  const { ledger } = await buildOnce();
  const importers = new Set<string>();
  for (const metafile of ledger.metafiles) {
    for (const [path, input] of Object.entries(metafile.inputs)) {
      if (input.imports.some((imported) => imported.path.replace(/\\/g, '/').endsWith(`/${file}`))) importers.add(path.replace(/\\/g, '/'));
    }
  }
  return [...importers];
}

describe('stubs: the only callers each stub names are still its only importers', () => {
  for (const stub of STUBS) {
    it(`${stub.file} is imported by ${stub.importers.join(', ')} and nothing else`, async () => {
      const importers = await importersOf(stub.file);

      assert.ok(importers.length > 0, `nothing in the bundles imports ${stub.file} any more: remove the stub`);
      const others = importers.filter((importer) => !stub.importers.some((allowed) => importer.endsWith(`/${allowed}`)));
      assert.deepEqual(others, [], `new importers of ${stub.file}: check they cannot reach it, then add them to the stub`);
    });
  }

  it('puts each stub’s error message in the bundles, so a call that does reach one says why', async () => {
    const { bundles } = await buildOnce();
    const cold = join(dirname(bundles[0]?.outfile ?? ''), COLD_FOLDER);
    const files = [...bundles.map((bundle) => bundle.outfile), ...readdirSync(cold).map((file) => join(cold, file))];
    const text = files.map((file) => readFileSync(file, 'utf8')).join('\n');

    const missing = STUBS.flatMap((stub) => stub.exports.map((name) => `EntraToken does not bundle ${name} (${stub.file})`)).filter(
      (message) => !text.includes(message),
    );
    assert.deepEqual(missing, []);
  });
});
