// Bundles each script a task's handlers run (dist/index.js, dist/post.js, ...) into one file each, with their cold
// groups in dist/cold/: the only code the .vsix ships. `--analyze` lists the bytes per package.
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { readdirSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { field, parseJson } from '../tasks/EntraToken/v1/src/common/json';
import { printBreakdown } from './bundle/analyze';
import { COLD_FOLDER } from './bundle/cold';
import { RuleLedger } from './bundle/rules';
import { writeThirdPartyNotices } from './notices';
import { TRIMMING_RULES, trimmedBundle } from './bundle/trimming';

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

/** The bundles task.json's handlers run, e.g. dist/post.js for a post-job step, each built from src/<name>.ts. */
export function taskBundles(dir: string): { source: string; bundle: string }[] {
  const manifest = parseJson(readFileSync(join(dir, 'task.json'), 'utf8'));
  const targets = new Set<string>();
  for (const section of ['prejobexecution', 'execution', 'postjobexecution']) {
    const handlers = field(manifest, section);
    if (typeof handlers !== 'object' || handlers === null) continue;
    for (const handler of Object.keys(handlers)) {
      const target = field(field(handlers, handler), 'target');
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

export interface BuiltBundle {
  readonly source: string;
  readonly outfile: string;
  readonly metafile: Metafile;
}

/**
 * Builds every task's bundles (to `outfileFor(bundle)`, the shipped path by default) and records what each trimming
 * rule matched. A bundle that fails to build is reported in `failures` after the others are built, so that the rules
 * a package upgrade broke are still named (esbuild's own error is often just the first unresolved import).
 */
export async function buildBundles(
  outfileFor: (bundle: string) => string = (bundle) => bundle,
): Promise<{ bundles: BuiltBundle[]; ledger: RuleLedger; failures: unknown[] }> {
  const ledger = new RuleLedger();
  const bundles: BuiltBundle[] = [];
  const failures: unknown[] = [];
  const targets = taskDirectories().flatMap(taskBundles);
  // Each build writes its cold groups afresh; a group renamed or gone must not linger in the folder.
  for (const folder of new Set(targets.map(({ bundle }) => join(dirname(outfileFor(bundle)), COLD_FOLDER))))
    rmSync(folder, { recursive: true, force: true });
  for (const { source, bundle } of targets) {
    const trimmed = trimmedBundle(ROOT, BASE, ledger);
    const outfile = outfileFor(bundle);
    try {
      const result = await build({ ...BASE, ...trimmed.options, plugins: trimmed.plugins, entryPoints: [source], outfile, metafile: true });
      ledger.metafiles.push(result.metafile);
      bundles.push({ source, outfile, metafile: result.metafile });
    } catch (error) {
      failures.push(error);
    }
  }
  return { bundles, ledger, failures };
}

/** One line per trimming rule that no longer fits the installed packages; empty when all is well. */
export function trimmingProblems(ledger: RuleLedger): string[] {
  return ledger.problems(TRIMMING_RULES, ROOT);
}

async function main(): Promise<void> {
  const analyze = process.argv.includes('--analyze');
  const { bundles, ledger, failures } = await buildBundles();
  for (const { outfile, metafile } of bundles) {
    const bytes = Object.values(metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
    console.log(`built ${outfile} (${Math.round(bytes / 1024)} KiB)`);
    if (analyze) printBreakdown(metafile, 25);
  }
  const problems = trimmingProblems(ledger);
  for (const line of problems) console.error(`error: ${line}`);
  if (problems.length > 0)
    console.error(`${String(problems.length)} trimming rule(s) no longer fit the installed packages; the rules live in scripts/bundle/.`);
  if (failures.length > 0)
    throw new AggregateError(failures, `${String(failures.length)} bundle(s) failed to build (esbuild printed why above)`);
  if (problems.length > 0) {
    process.exitCode = 1;
    return;
  }
  for (const dir of taskDirectories()) {
    const count = writeThirdPartyNotices(ROOT, join(dir, 'dist', NOTICES));
    console.log(`wrote ${join(dir, 'dist', NOTICES)} (${count} packages)`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof AggregateError ? error.message : error);
    process.exit(1);
  });
}
