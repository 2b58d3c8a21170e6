// Prints one path's figures: medians with their spread, next to the targets (printed, never asserted).
import type { RequestRecord } from '../../tests/fake-cloud';
import type { LoadedBuiltins } from './fetch-check';
import type { BenchPath } from './scenarios';
import type { PairSample } from './series';
import { describe, summarize } from './stats';

export const TARGETS = { wallRatio: 1.7, rssMiB: 56, vsixKiB: 256 } as const;

function verdict(met: boolean): string {
  return met ? 'met' : 'NOT met';
}

function requestLine(request: RequestRecord): string {
  return `${request.method} ${request.host.replace(/:\d+$/, ':<port>')}${request.path} -> ${request.status}`;
}

export function reportPath(path: BenchPath, samples: readonly PairSample[], builtins: LoadedBuiltins): void {
  const ratio = summarize(samples.map((s) => s.task.wallMs / s.baseline.wallMs));
  console.log(`\n== ${path.title}`);
  console.log(`  wall, task          ${describe(summarize(samples.map((s) => s.task.wallMs)), 1, ' ms')}`);
  console.log(`  wall, node -e 0     ${describe(summarize(samples.map((s) => s.baseline.wallMs)), 1, ' ms')}`);
  console.log(
    `  wall ratio          ${describe(ratio, 2, '×')}  target ≤ ${TARGETS.wallRatio}×: ${verdict(ratio.median <= TARGETS.wallRatio)}`,
  );
  const rss = samples.flatMap((s) => (s.task.maxRssKiB === undefined ? [] : [s.task.maxRssKiB / 1024]));
  const baselineRss = samples.flatMap((s) => (s.baseline.maxRssKiB === undefined ? [] : [s.baseline.maxRssKiB / 1024]));
  if (rss.length > 0 && baselineRss.length > 0) {
    const summary = summarize(rss);
    console.log(
      `  peak RSS, task      ${describe(summary, 1, ' MiB')}  target ≤ ${TARGETS.rssMiB} MiB: ${verdict(summary.median <= TARGETS.rssMiB)}`,
    );
    console.log(`  peak RSS, node -e 0 ${describe(summarize(baselineRss), 1, ' MiB')}`);
  } else {
    console.log('  peak RSS            n/a: GNU time (/usr/bin/time) is not installed');
  }
  const perToken = summarize(samples.map((s) => s.requests.length / Math.max(s.tokens, 1)));
  console.log(
    `  requests per token  ${describe(perToken, 0, '')}  target ≤ ${path.maxRequests}: ${verdict(perToken.max <= path.maxRequests)}`,
  );
  const last = samples[samples.length - 1]?.requests ?? [];
  for (const request of last) console.log(`                        ${requestLine(request)}`);
  const extra = samples
    .flatMap((sample) => sample.requests)
    .filter((request) => request.method === 'OPTIONS' || /\/_apis\/(?:resourceareas|location)/i.test(request.path));
  console.log(
    `  OPTIONS/location requests in all runs: ${String(extra.length)}; Node built-ins loaded: ${String(builtins.count)}, fetch (undici) among them: ${builtins.undici ? 'YES' : 'no'}`,
  );
  console.log(
    `  fake cloud + spawn CPU in the bench process during a task run: ${describe(summarize(samples.map((s) => s.task.benchCpuMs)), 1, ' ms')}`,
  );
}

export function reportVsix(bytes: number, bundleBytes: number): void {
  const kib = bytes / 1024;
  console.log(`\n== package`);
  console.log(
    `  .vsix               ${String(bytes)} bytes (${kib.toFixed(1)} KiB)  target ≤ ${TARGETS.vsixKiB} KB: ${verdict(bytes <= TARGETS.vsixKiB * 1000)}`,
  );
  console.log(`  bundle (dist/index.js) ${(bundleBytes / 1024).toFixed(1)} KiB`);
}
