import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { NOTICES, ROOT, taskBundles, taskDirectories } from '../../scripts/build';
import { COLD_FOLDER } from '../../scripts/bundle/cold';
import { createVsix } from '../../scripts/package';
import { listZip } from '../../scripts/zip-listing';

/** Every bundle a task's handlers run (main and post-job), relative to its folder, as the build names them. */
function handlerTargets(dir: string): string[] {
  return taskBundles(dir).map((entry) => relative(dir, entry.bundle));
}

/** The cold groups the build wrote beside the bundles (tests/build checks which ones). */
function coldFiles(dir: string): string[] {
  const folder = join(dir, 'dist', COLD_FOLDER);
  return existsSync(folder) ? readdirSync(folder).map((file) => `dist/${COLD_FOLDER}/${file}`) : [];
}

/** The bundles, their cold groups, and the licences of the code bundled into them. */
function shippedBuildOutput(dir: string): string[] {
  return [...handlerTargets(dir), ...coldFiles(dir), `dist/${NOTICES}`];
}

// What a .vsix holds: the manifest, the overview, the images, and per task its task.json, icon and bundles.
const EXPECTED = [
  '[Content_Types].xml',
  'extension.vsixmanifest',
  'extension.vsomanifest',
  'overview.md',
  'images/icon.png',
  'images/flow@2x.png',
  ...taskDirectories().flatMap((dir) =>
    ['task.json', 'icon.png', ...shippedBuildOutput(dir)].map((file) => `${relative(ROOT, dir)}/${file}`),
  ),
].sort();

const BUILDS = [
  { name: 'default', overrides: undefined, file: /^entratoken\.entra-token-\d+\.\d+\.\d+\.vsix$/ },
  { name: 'dev', overrides: join(ROOT, 'overrides', 'dev.json'), file: /^entratoken\.entra-token-dev-\d+\.\d+\.\d+\.vsix$/ },
  { name: 'release', overrides: join(ROOT, 'overrides', 'release.json'), file: /^entratoken\.entra-token-\d+\.\d+\.\d+\.vsix$/ },
];

for (const build of BUILDS) {
  describe(`the ${build.name} .vsix`, function () {
    this.timeout(120_000);
    let directory: string;
    let vsix: string;

    before(() => {
      for (const dir of taskDirectories()) {
        for (const target of shippedBuildOutput(dir))
          assert.ok(existsSync(join(dir, target)), `run npm run build first: ${dir}/${target} is missing`);
      }
      directory = mkdtempSync(join(tmpdir(), 'entra-token-vsix-'));
      vsix = createVsix(directory, build.overrides);
    });
    after(() => {
      rmSync(directory, { recursive: true, force: true });
    });

    it('is named after the extension id of the build', () => {
      assert.match(basename(vsix), build.file);
    });

    it('holds exactly the manifest, overview, images and each task’s task.json, icon and bundles', () => {
      const files = listZip(vsix)
        .map((entry) => entry.name)
        .filter((name) => !name.endsWith('/'))
        .sort();

      assert.deepEqual(files, EXPECTED);
    });

    it('holds no dependencies, sources, tests or source maps', () => {
      const names = listZip(vsix).map((entry) => entry.name);

      const unwanted = names.filter((name) => /(^|\/)(node_modules|src|tests?)\/|\.(ts|map)$/.test(name));

      assert.deepEqual(unwanted, []);
    });
  });
}
