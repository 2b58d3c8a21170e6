// `npm run bench`: times the bundled task end to end against the loopback fake cloud, paired with `node -e 0`,
// and prints the wall-time ratio, the task's peak RSS, HTTP requests per token and the .vsix size.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUNDLE } from '../tests/e2e/agent';
import { createVsix } from './package';
import { loadedBuiltins } from './bench/fetch-check';
import { reportPath, reportVsix } from './bench/report';
import { startBenchCloud } from './bench/scenarios';
import { runSeries } from './bench/series';
import { hasGnuTime, removeScratch } from './bench/timed-spawn';
import { benchTokenService } from './bench/token-service';

const MIN_PAIRS = 15;
const MAX_PAIRS = 500;
const WARMUP_PAIRS = 3;

function pairsFromArguments(): number {
  const index = process.argv.indexOf('--pairs');
  const requested = index >= 0 ? Number(process.argv[index + 1]) : 21;
  if (!Number.isInteger(requested)) throw new Error('--pairs takes a whole number');
  return Math.min(Math.max(requested, MIN_PAIRS), MAX_PAIRS);
}

function vsixBytes(): number {
  const directory = mkdtempSync(join(tmpdir(), 'entra-token-bench-vsix-'));
  try {
    return statSync(createVsix(directory)).size;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const pairs = pairsFromArguments();
  console.log(
    `Node ${process.version} on ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} CPUs), ${pairs} pairs after ${WARMUP_PAIRS} warm-up pairs per path.`,
  );
  if (!hasGnuTime()) console.log('GNU time (/usr/bin/time) is missing, so peak RSS is not measured: apt-get install time.');
  const bench = await startBenchCloud();
  try {
    for (const path of bench.paths) {
      const samples = await runSeries(bench, path, WARMUP_PAIRS, pairs);
      reportPath(path, samples, await loadedBuiltins(path));
    }
  } finally {
    await bench.close();
    removeScratch();
  }
  reportVsix(vsixBytes(), statSync(BUNDLE).size);
  await benchTokenService();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
