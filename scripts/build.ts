// Bundles each task into one dist/index.js, the only code the .vsix ships.
import { build } from 'esbuild';
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

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

async function main(): Promise<void> {
  for (const dir of taskDirectories()) {
    const result = await build({
      entryPoints: [join(dir, 'src', 'index.ts')],
      outfile: join(dir, 'dist', 'index.js'),
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      minify: true,
      legalComments: 'none',
      metafile: true,
      logLevel: 'warning',
    });
    const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
    console.log(`built ${join(dir, 'dist', 'index.js')} (${Math.round(bytes / 1024)} KiB)`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
