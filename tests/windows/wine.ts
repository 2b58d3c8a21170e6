// Wine for the Windows lane: one fresh prefix per test process (set to Windows 10, which Node 20 requires), the
// Windows build of this Node from the npm registry, and path mapping between the prefix's drives and Linux.
// A Windows node.exe crashes (EBADF) when a Unix pipe is its stdin, stdout or stderr, so every process started
// here gets files.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join, win32 } from 'node:path';
import { testTempDir } from '../temp';
import { windowsNode } from '../runtimes';

export interface Wine {
  readonly prefix: string;
  /** The environment every wine command runs with: the prefix, no debug output, no Mono/Gecko installers. */
  readonly environment: Readonly<Record<string, string>>;
  /** node.exe as the agent keeps it, at a path with spaces and a `$`. */
  readonly nodeExe: string;
  /** The agent's root folder, C:\agents\Build Agent $1. */
  readonly agentRoot: string;
}

let wine: Wine | undefined;

/** Why the lane cannot run on this machine, or undefined when it can. */
export function wineMissing(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v wine'], { encoding: 'utf8' });
  return found.status === 0 ? undefined : 'wine is not installed (apt-get install -y wine64)';
}

/** C:\… and Z:\… (Wine maps Z: to /) to the Linux path. */
export function linuxPath(prefix: string, windowsPath: string): string {
  const match = /^([A-Za-z]):\\(.*)$/.exec(windowsPath);
  if (!match) throw new Error(`not a drive path: ${windowsPath}`);
  const rest = (match[2] ?? '').split('\\').filter((part) => part !== '');
  return (match[1] ?? '').toUpperCase() === 'Z' ? `/${rest.join('/')}` : join(prefix, 'drive_c', ...rest);
}

/** A Linux path as Windows programs under Wine see it: through Z:. */
export function windowsPath(linux: string): string {
  return `Z:${linux.split('/').join('\\')}`;
}

/** The prefix's C: drive, created on first use. */
export function cDrive(prefix: string, windows: string): string {
  const path = linuxPath(prefix, windows);
  mkdirSync(path, { recursive: true });
  return path;
}

/** Starts Wine once per test process: about 20 s for wineboot on a 2-core machine. */
export function startWine(): Wine {
  if (wine) return wine;
  const prefix = testTempDir('entra-wine-prefix-');
  const environment = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? prefix,
    WINEPREFIX: prefix,
    WINEDEBUG: '-all',
    WINEDLLOVERRIDES: 'mscoree,mshtml=',
    WINEARCH: 'win64',
  };
  const quiet = { env: environment, stdio: 'ignore' as const, timeout: 120_000 };
  execFileSync('wineboot', ['-i'], quiet);
  execFileSync('wine', ['reg', 'add', 'HKCU\\Software\\Wine', '/v', 'Version', '/t', 'REG_SZ', '/d', 'win10', '/f'], quiet);
  const agentRoot = 'C:\\agents\\Build Agent $1';
  const nodeExe = win32.join(agentRoot, 'externals', 'node20_1', 'bin', 'node.exe');
  const linked = linuxPath(prefix, nodeExe);
  mkdirSync(join(linked, '..'), { recursive: true });
  symlinkSync(windowsNode(), linked);
  wine = { prefix, environment, nodeExe, agentRoot };
  return wine;
}

/** Stops the prefix's wineserver (and with it every Windows process still running in it). */
export function stopWine(): void {
  if (!wine) return;
  spawnSync('wineserver', ['-k'], { env: wine.environment, stdio: 'ignore', timeout: 30_000 });
  wine = undefined;
}
