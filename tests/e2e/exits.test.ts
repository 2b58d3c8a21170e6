// A failed run ends when its one error line is printed, and ENTRATOKEN_TIMEOUT_MS is a hard upper bound:
// a closed port, a server that accepts and never answers, a server that drops the connection, and a name that
// does not resolve, for the OIDC route and for the Entra authority.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { lookup } from 'node:dns/promises';
import { join } from 'node:path';
import { createServer, type Server, type Socket } from 'node:net';
import { BUNDLE, failure, parseCommand, variables, type TaskRun } from './agent';
import { Fixture } from './fixture';

const LIMIT_MS = 3_000;
/** Generous: a bound that catches a run lingering for the 20 s per-attempt timeout, not a benchmark. */
const MARGIN_MS = 4_000;
/** Between the error line and the process exit: the step must not outlive its outcome. */
const EXIT_GAP_MS = 1_500;

interface TimedRun {
  readonly run: TaskRun;
  /** From spawn to the process exit. */
  readonly ms: number;
  /** From the failure line arriving to the process exit. */
  readonly exitGapMs: number;
}

function timedRun(env: Readonly<Record<string, string>>, cwd: string, bundle = BUNDLE): Promise<TimedRun> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let failedAt: number | undefined;
    let stdout = '';
    let stderr = '';
    const child = spawn(process.execPath, [bundle], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (failedAt === undefined && stdout.includes('##vso[task.complete result=Failed')) failedAt = Date.now();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (exitCode) => {
      const ended = Date.now();
      const lines = `${stdout}\n${stderr}`.split(/\r?\n/).filter((line) => line !== '');
      const commands = lines.flatMap((text, index) => parseCommand(text, index) ?? []);
      resolve({ run: { exitCode, lines, commands, stderr }, ms: ended - started, exitGapMs: ended - (failedAt ?? started) });
    });
  });
}

type Behaviour = 'closed' | 'silent' | 'reset';

/** A loopback TCP port that refuses, accepts and says nothing, or accepts and resets; it counts connections. */
async function faultyPort(behaviour: Behaviour): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    if (behaviour === 'reset') socket.resetAndDestroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      if (server.listening)
        server.close(() => {
          resolve();
        });
      else resolve();
    });
  if (behaviour === 'closed') await close();
  return { port: address.port, connections: () => connections, close };
}

function errorLines(run: TaskRun): string[] {
  return run.commands.filter((c) => c.area === 'task.issue' && c.properties.type === 'error').map((c) => c.message);
}

describe('EntraToken failing fast and within its deadline, end to end', () => {
  let fixture: Fixture;

  before(async () => {
    fixture = await Fixture.start();
  });
  after(async () => {
    await fixture.close();
  });

  async function runAgainst(target: 'OIDC route' | 'authority', origin: string, extra: Record<string, string> = {}): Promise<TimedRun> {
    const oidc = fixture.cloud.oidcRequestUri.replace(/^https:\/\/[^/]+/, origin);
    const { env, workspace } = fixture.prepare({
      extra: {
        // Defaults for the per-attempt timeout (20 s) and retries; only the task deadline is low.
        ENTRATOKEN_TIMEOUT_MS: String(LIMIT_MS),
        ENTRATOKEN_RETRY_DELAY_MS: '50',
        ...(target === 'OIDC route' ? { SYSTEM_OIDCREQUESTURI: oidc } : { AZURE_AUTHORITY_HOST: origin }),
        ...extra,
      },
    });
    const timed = await timedRun(env, workspace.workingDirectory);
    fixture.checkNoLeaks({ run: timed.run, workspace, requests: [], ms: timed.ms });
    return timed;
  }

  function assertEndedPromptly({ run, ms, exitGapMs }: TimedRun, expected: RegExp): void {
    assert.equal(run.exitCode, 1, failure(run));
    assert.deepEqual(errorLines(run).length, 1, errorLines(run).join('\n'));
    assert.match(failure(run) ?? '', expected);
    assert.equal(variables(run).size, 0, 'a failed run exported a variable');
    assert.ok(ms < LIMIT_MS + MARGIN_MS, `the run took ${String(ms)} ms with ENTRATOKEN_TIMEOUT_MS=${String(LIMIT_MS)}`);
    assert.ok(exitGapMs < EXIT_GAP_MS, `the process lived ${String(exitGapMs)} ms after its error line`);
  }

  const cases: { behaviour: Behaviour; expected: (host: string, target: string) => RegExp }[] = [
    { behaviour: 'closed', expected: (host, target) => new RegExp(`^Could not reach ${host} to ${target}.*ECONNREFUSED`) },
    { behaviour: 'reset', expected: (host, target) => new RegExp(`^Could not reach ${host} to ${target}.*ECONNRESET`) },
    {
      behaviour: 'silent',
      expected: () =>
        new RegExp(`^EntraToken did not finish within ${String(LIMIT_MS / 1000)} seconds and stopped\\..*ENTRATOKEN_TIMEOUT_MS`),
    },
  ];
  const targets = [
    { target: 'OIDC route', doing: 'request an OIDC token' },
    { target: 'authority', doing: 'get a token from Microsoft Entra ID' },
  ] as const;

  for (const { target, doing } of targets) {
    for (const { behaviour, expected } of cases) {
      it(`${target}: a ${behaviour === 'closed' ? 'closed port' : behaviour === 'reset' ? 'server that resets the connection' : 'server that accepts and never answers'}`, async () => {
        const server = await faultyPort(behaviour);
        try {
          const timed = await runAgainst(target, `https://127.0.0.1:${String(server.port)}`);

          assertEndedPromptly(timed, expected(`127\\.0\\.0\\.1:${String(server.port)}`, doing));
          if (behaviour !== 'closed') assert.ok(server.connections() >= 1, 'the fault server saw no connection');
        } finally {
          await server.close();
        }
      });
    }

    it(`${target}: a host name that does not resolve`, async function () {
      const host = 'login.entratoken.invalid';
      const answer = await lookup(host).then(
        () => 'an address',
        (error: unknown) => (error instanceof Error ? String(Reflect.get(error, 'code')) : String(error)),
      );
      if (answer !== 'ENOTFOUND') {
        console.log(`      skipped: this machine's resolver answers ${answer} for a .invalid name, not ENOTFOUND`);
        this.skip();
      }
      const timed = await runAgainst(target, `https://${host}`, { HTTPS_PROXY: '', https_proxy: '' });

      assertEndedPromptly(timed, new RegExp(`^Could not reach ${host.replace(/\./g, '\\.')} to ${doing}.*ENOTFOUND`));
    });
  }

  describe('an Entra answer that cannot be used exports nothing', () => {
    // msal-node turns a missing or non-numeric expires_in into "expires now"; the task refuses such a token.
    const bodies: [string, Record<string, unknown>, RegExp][] = [
      ['a negative expires_in', { expires_in: -5 }, /cannot be used \(it expired at /],
      ['no expires_in', {}, /cannot be used \(it (expired|expires) at /],
      ['a non-numeric expires_in', { expires_in: 'soon' }, /cannot be used \(it (expired|expires) at /],
      ['an expires_in of 30 seconds', { expires_in: 30 }, /cannot be used \(it expires at .*, less than a minute from now\)/],
      ['an absurd expires_in', { expires_in: 1e12 }, /cannot be used \(it claims to be valid until /],
    ];
    for (const [name, fields, expected] of bodies) {
      it(name, async () => {
        fixture.cloud.inject('token', {
          status: 200,
          body: JSON.stringify({ token_type: 'Bearer', access_token: 'eyJhbGciOiJub25lIn0.e30.', ...fields }),
          times: 10,
        });

        const { run } = await fixture.run({ extra: { ENTRATOKEN_MAX_RETRIES: '0' } });

        assert.equal(run.exitCode, 1);
        assert.match(failure(run) ?? '', expected);
        assert.match(failure(run) ?? '', /so nothing was exported/);
        assert.equal(variables(run).size, 0);
      });
    }
  });

  describe('the post-job step', () => {
    // The shutdown request to a recorded service has its own 3 s timeout; the step then ends, whatever is left open.
    const POST_BOUND_MS = 3_000 + MARGIN_MS;
    for (const behaviour of ['closed', 'silent', 'reset'] as const) {
      it(`ends promptly when the recorded service's port is ${behaviour === 'closed' ? 'closed' : behaviour === 'silent' ? 'silent' : 'resetting'}`, async () => {
        const server = await faultyPort(behaviour);
        const { workspace } = fixture.prepare();
        const record = JSON.stringify({ url: `http://127.0.0.1:${String(server.port)}`, pid: 999_999, control: 'e'.repeat(64) });
        const env = {
          PATH: process.env.PATH ?? '',
          AGENT_TEMPDIRECTORY: workspace.tempDirectory,
          AGENT_VERSION: '4.260.0',
          VSTS_TASKVARIABLE_ENTRATOKEN_SERVICE: record,
        };
        try {
          const { run, ms } = await timedRun(env, workspace.workingDirectory, join(BUNDLE, '..', 'post.js'));

          assert.equal(run.exitCode, 0, run.stderr);
          assert.deepEqual(errorLines(run), []);
          assert.ok(ms < POST_BOUND_MS, `the post-job step took ${String(ms)} ms`);
        } finally {
          await server.close();
        }
      });
    }
  });
});
