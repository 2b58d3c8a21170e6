// `npm run package`: builds the .vsix with tfx and prints what is inside, so nobody ships a surprise.
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { stringField, parseJson } from '../tasks/EntraToken/v1/src/common/json';
import { ROOT } from './build';
import { listZip } from './zip-listing';

export function createVsix(outputDirectory: string, overridesFile?: string): string {
  mkdirSync(outputDirectory, { recursive: true });
  const tfx = join(ROOT, 'node_modules', 'tfx-cli', '_build', 'tfx-cli.js');
  const args = [
    tfx,
    'extension',
    'create',
    '--root',
    ROOT,
    '--manifest-globs',
    'vss-extension.json',
    '--output-path',
    outputDirectory,
    '--no-prompt',
    '--json',
  ];
  if (overridesFile !== undefined) args.push('--overrides-file', overridesFile);
  const output = execFileSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const path = stringField(parseJson(output.slice(output.indexOf('{'))), 'path');
  if (path === undefined) throw new Error(`tfx did not report the .vsix it created:\n${output}`);
  return path;
}

if (require.main === module) {
  const overrides = process.argv[2];
  // One folder per build, so the release build never overwrites the plain one (both carry the same id).
  const vsix = createVsix(join(ROOT, 'out', 'vsix', overrides === undefined ? 'default' : basename(overrides, '.json')), overrides);
  console.log(`created ${vsix} (${Math.round(statSync(vsix).size / 1024)} KiB)`);
  for (const entry of listZip(vsix)) console.log(`  ${String(entry.size).padStart(8)}  ${entry.name}`);
}
