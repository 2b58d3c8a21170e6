// `npm run bench`, token service part: starts the real service (the bundle with --token-service, configured over
// IPC by the task's own launcher) against the loopback fake cloud, and prints its idle memory, the latency of
// 1000 cached requests, and how many upstream requests each minted token costs. Figures, never assertions.
import { Agent } from 'node:http';
import { join } from 'node:path';
import { BUNDLE } from '../../tests/e2e/agent';
import { createScenario } from '../../tests/e2e/scenario';
import { startFakeCloud, type FakeCloud } from '../../tests/fake-cloud';
import { testTempDir } from '../../tests/temp';
import { readLimits } from '../../tasks/EntraToken/v1/src/http/limits';
import { createServiceLauncher, type RunningService } from '../../tasks/EntraToken/v1/src/token-service/launch';
import { tokenFileName } from '../../tasks/EntraToken/v1/src/token-service/assertion-file';
import { SERVICE_TASK_VARIABLE, serviceRecord } from '../../tasks/EntraToken/v1/src/token-service/export';
import { stopTokenService } from '../../tasks/EntraToken/v1/src/token-service/stop';
import { requestAssertion, residentMiB, timedGet } from './service-client';
import { quantile } from './stats';

const DEFAULT_SCOPE = '499b84ac-1321-427f-aa17-267ca6975798/.default';
const CACHED_REQUESTS = 1000;
const IDLE_MS = 5_000;
const MINTS = 6;

interface BenchService {
  readonly service: RunningService;
  readonly tokenUrl: string;
  readonly tokenFile: string;
}

/** The one place that builds the service's request, as run.ts does through job-service.ts. */
async function startService(cloud: FakeCloud): Promise<BenchService> {
  const scenario = createScenario(cloud);
  const { connection, app } = scenario.devops;
  const tokenFile = join(testTempDir('entra-bench-service-'), tokenFileName());
  const launch = createServiceLauncher({
    bundlePath: BUNDLE,
    agentPid: process.pid,
    limits: readLimits({}),
    agentProxy: undefined,
    environment: { PATH: process.env.PATH ?? '', NODE_EXTRA_CA_CERTS: cloud.caFile },
  });
  const service = await launch({
    requestUri: cloud.oidcRequestUri,
    jobToken: cloud.jobToken,
    connectionId: connection.id,
    tenantId: app.tenantId,
    clientId: app.clientId,
    authorityHost: cloud.url,
    disableInstanceDiscovery: true,
    allowedScopes: [DEFAULT_SCOPE],
    federatedTokenFile: tokenFile,
    initialAssertion: await requestAssertion(cloud, connection.id),
    registries: [],
  });
  return { service, tokenUrl: `http://127.0.0.1:${String(service.port)}/token`, tokenFile };
}

async function stop(bench: BenchService): Promise<string[]> {
  const lines: string[] = [];
  const record = serviceRecord(`http://127.0.0.1:${String(bench.service.port)}`, bench.service, bench.tokenFile);
  await stopTokenService({
    getTaskVariable: (name) => (name === SERVICE_TASK_VARIABLE ? record : undefined),
    info: (line) => lines.push(line),
    warning: (line) => lines.push(`warning: ${line}`),
  });
  return lines;
}

function upstream(cloud: FakeCloud, from: number): string {
  const requests = cloud.requests.slice(from);
  const count = (pattern: RegExp) => requests.filter((request) => pattern.test(request.path)).length;
  return `${String(requests.length)} (OIDC ${String(count(/\/oidctoken$/))}, openid-configuration ${String(count(/openid-configuration$/))}, token ${String(count(/\/oauth2\/v2\.0\/token$/))})`;
}

async function series(bench: BenchService, agent: Agent | false): Promise<string> {
  const times: number[] = [];
  for (let i = 0; i < CACHED_REQUESTS; i += 1) {
    const { status, ms } = await timedGet(bench.tokenUrl, bench.service.secret, agent);
    if (status !== 200) throw new Error(`the token service answered ${String(status)}`);
    times.push(ms);
  }
  const sorted = times.sort((a, b) => a - b);
  const at = (p: number) => quantile(sorted, p).toFixed(2);
  return `p50 ${at(0.5)} ms, p90 ${at(0.9)} ms, p99 ${at(0.99)} ms, max ${(sorted.at(-1) ?? 0).toFixed(2)} ms`;
}

async function cachedFigures(): Promise<void> {
  const cloud = await startFakeCloud();
  try {
    const bench = await startService(cloud);
    let mark = cloud.requests.length;
    await timedGet(bench.tokenUrl, bench.service.secret, false);
    console.log(`Token service: the first token cost ${upstream(cloud, mark)} upstream requests.`);
    mark = cloud.requests.length;
    const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
    const reused = await series(bench, keepAlive);
    keepAlive.destroy();
    const fresh = await series(bench, false);
    console.log(
      `Token service: ${String(CACHED_REQUESTS)} cached requests on one connection: ${reused}; on a new connection each: ${fresh}; upstream requests meanwhile: ${upstream(cloud, mark)}.`,
    );
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    const rss = residentMiB(bench.service.pid);
    console.log(
      rss === undefined
        ? 'Token service: idle RSS not measured (no /proc here).'
        : `Token service: idle RSS ${rss.toFixed(1)} MiB after ${String(IDLE_MS / 1000)} s idle.`,
    );
    for (const line of await stop(bench)) console.log(`  post-job: ${line}`);
  } finally {
    await cloud.close();
  }
}

/** Tokens that live 90 s are inside the 5-minute refresh window, so every request mints one. */
async function mintFigures(): Promise<void> {
  const cloud = await startFakeCloud({ accessTokenLifetimeSeconds: 90 });
  try {
    const bench = await startService(cloud);
    const costs: string[] = [];
    for (let i = 0; i < MINTS; i += 1) {
      const mark = cloud.requests.length;
      await timedGet(bench.tokenUrl, bench.service.secret, false);
      costs.push(String(cloud.requests.length - mark));
    }
    console.log(`Token service: upstream requests per minted token, ${String(MINTS)} mints in a row: ${costs.join(', ')}.`);
    await stop(bench);
  } finally {
    await cloud.close();
  }
}

export async function benchTokenService(): Promise<void> {
  await cachedFigures();
  await mintFigures();
}
