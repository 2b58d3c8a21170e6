// Bundles each script a task's handlers run (dist/index.js, dist/post.js, ...) into one file each: the only code
// the .vsix ships. `--analyze` lists the bytes per package.
import { build, type BuildOptions } from 'esbuild';
import { readdirSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { printBreakdown } from './bundle/analyze';
import { writeThirdPartyNotices } from './notices';
import { trimmedBundle } from './bundle/trimming';

export const ROOT = join(__dirname, '..', '..');

export function taskDirectories(): string[] {
  const tasksRoot = join(ROOT, 'tasks');
  return readdirSync(tasksRoot).flatMap((task) =>
    readdirSync(join(tasksRoot, task))
      .filter((version) => /^v\d+$/.test(version))
      .map((version) => join(tasksRoot, task, version))
      .filter((dir) => existsSync(join(dir, 'task.json'))),
  );
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? Reflect.get(value, key) : undefined;
}

/** The bundles task.json's handlers run, e.g. dist/post.js for a post-job step, each built from src/<name>.ts. */
export function taskBundles(dir: string): { source: string; bundle: string }[] {
  const manifest: unknown = JSON.parse(readFileSync(join(dir, 'task.json'), 'utf8'));
  const targets = new Set<string>();
  for (const section of ['prejobexecution', 'execution', 'postjobexecution']) {
    const handlers = field(manifest, section);
    if (typeof handlers !== 'object' || handlers === null) continue;
    for (const handler of Object.keys(handlers)) {
      const target = field(Reflect.get(handlers, handler), 'target');
      if (typeof target === 'string') targets.add(target);
    }
  }
  if (targets.size === 0) targets.add('dist/index.js');
  return [...targets].map((target) => {
    const name = /^dist\/([\w-]+)\.js$/.exec(target)?.[1];
    if (name === undefined) throw new Error(`${join(dir, 'task.json')}: handler target '${target}' is not dist/<name>.js`);
    return { source: join(dir, 'src', `${name}.ts`), bundle: join(dir, target) };
  });
}

/** Shipped next to the bundles, because esbuild drops the licence comments of the code it bundles. */
export const NOTICES = 'ThirdPartyNotices.txt';

const BASE: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
};

async function main(): Promise<void> {
  const analyze = process.argv.includes('--analyze');
  for (const { source, bundle } of taskDirectories().flatMap(taskBundles)) {
    const trimmed = trimmedBundle(ROOT, BASE);
    const result = await build({ ...BASE, ...trimmed.options, plugins: trimmed.plugins, entryPoints: [source], outfile: bundle, metafile: true });
    const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
    console.log(`built ${bundle} (${Math.round(bytes / 1024)} KiB)`);
    if (analyze) printBreakdown(result.metafile, 25);
  }
  for (const dir of taskDirectories()) {
    const count = writeThirdPartyNotices(ROOT, join(dir, 'dist', NOTICES));
    console.log(`wrote ${join(dir, 'dist', NOTICES)} (${count} packages)`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
