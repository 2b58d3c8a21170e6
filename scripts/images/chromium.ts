// Headless Chromium from the command line: screenshots and the DOM after scripts ran. No browser library; the
// flags keep it from reaching the network or writing outside a throwaway profile.
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome'];

/** The Chromium binary on PATH, or undefined (callers skip or fail with the reason). */
export function findChromium(): string | undefined {
  return CANDIDATES.find((name) => spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0);
}

function flags(profile: string, width: number, height: number, scale: number): string[] {
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--hide-scrollbars',
    `--user-data-dir=${profile}`,
    `--window-size=${String(width)},${String(height)}`,
    `--force-device-scale-factor=${String(scale)}`,
    '--virtual-time-budget=10000',
  ];
}

const run = promisify(execFile);

/** Asynchronous, so a page server in the same process keeps answering while Chromium loads from it. */
async function withProfile<T>(action: (profile: string) => Promise<T>): Promise<T> {
  const profile = mkdtempSync(join(tmpdir(), 'entratoken-chromium-'));
  try {
    return await action(profile);
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

export interface Viewport {
  readonly width: number;
  readonly height: number;
  readonly scale?: number;
}

export async function screenshot(chromium: string, url: string, file: string, viewport: Viewport): Promise<void> {
  await withProfile(async (profile) => {
    await run(chromium, [...flags(profile, viewport.width, viewport.height, viewport.scale ?? 1), `--screenshot=${file}`, url], {
      timeout: 60_000,
    });
  });
}

export async function dumpDom(chromium: string, url: string, viewport: Viewport): Promise<string> {
  return withProfile(async (profile) => {
    const { stdout } = await run(chromium, [...flags(profile, viewport.width, viewport.height, viewport.scale ?? 1), '--dump-dom', url], {
      encoding: 'utf8',
      timeout: 60_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  });
}
