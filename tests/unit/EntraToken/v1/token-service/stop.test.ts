import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { portOpen } from '../../../../port-open';
import { join } from 'node:path';
import { testTempDir } from '../../../../temp';
import { SERVICE_TASK_VARIABLE } from '../../../../../tasks/EntraToken/v1/src/token-service/export';
import { stopTokenService, type StopHost } from '../../../../../tasks/EntraToken/v1/src/token-service/stop';

const CONTROL = 'd'.repeat(64);

class FakeHost implements StopHost {
  readonly infos: string[] = [];
  readonly warnings: string[] = [];
  constructor(private readonly record: string | undefined) {}
  getTaskVariable(name: string): string | undefined {
    return name === SERVICE_TASK_VARIABLE ? this.record : undefined;
  }
  info(message: string): void {
    this.infos.push(message);
  }
  warning(message: string): void {
    this.warnings.push(message);
  }
}

/**
 * A loopback server standing where the service was: it answers /shutdown with whatever the test gives it, then
 * stops listening `closeAfterMs` later, as the service exits after its answer.
 */
async function answering(
  body: string,
  seen: { control?: string },
  closeAfterMs: number | 'never' = 0,
): Promise<{ server: Server; port: number }> {
  const server = createServer((request, response) => {
    const control = request.headers['x-entratoken-control'];
    seen.control = typeof control === 'string' ? control : undefined;
    response.writeHead(request.method === 'POST' && request.url === '/shutdown' ? 200 : 404).end(body, () => {
      if (closeAfterMs !== 'never') setTimeout(() => server.close(), closeAfterMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { server, port: typeof address === 'object' && address !== null ? address.port : 0 };
}

function record(port: number, pid = 4242): string {
  return JSON.stringify({ url: `http://127.0.0.1:${String(port)}`, pid, control: CONTROL });
}

describe('stopTokenService: the post-job step', () => {
  it('does nothing when the task started no service', async () => {
    const host = new FakeHost(undefined);

    await stopTokenService(host);

    assert.deepEqual([host.infos, host.warnings], [[], []]);
  });

  for (const garbage of [
    'not json',
    '{"url":"http://127.0.0.1:1"}',
    JSON.stringify({ url: 'http://attacker.example:80', pid: 1, control: CONTROL }),
  ]) {
    it(`warns once, without a stack trace, about the record ${JSON.stringify(garbage).slice(0, 40)}`, async () => {
      const host = new FakeHost(garbage);

      await stopTokenService(host);

      assert.equal(host.warnings.length, 1);
      assert.doesNotMatch(host.warnings[0] ?? '', /\n|\bat \w/);
      assert.deepEqual(host.infos, []);
    });
  }

  it('says in one line that the service had already stopped when nothing listens', async () => {
    const { server, port } = await answering('', {});
    await new Promise((resolve) => server.close(resolve));
    const host = new FakeHost(record(port));

    await stopTokenService(host);

    assert.equal(host.infos.length, 1);
    assert.match(host.infos[0] ?? '', /had already stopped/);
    assert.deepEqual(host.warnings, []);
  });

  it('sends the control secret and prints the summary from checked fields only', async () => {
    const seen: { control?: string } = {};
    const hostile = '##vso[task.setvariable variable=PATH]/tmp/evil';
    const body = JSON.stringify({
      pid: 4242,
      scopes: [
        { scope: 'https://graph.microsoft.com/.default', issued: 3, failed: 1, lastExpiresOn: '2030-01-01T00:00:00.000Z' },
        { scope: hostile, issued: 1, failed: 0 },
        { scope: 'api://x/.default', issued: 2, failed: 0, lastExpiresOn: hostile },
      ],
    });
    const { server, port } = await answering(body, seen);
    const host = new FakeHost(record(port));

    try {
      await stopTokenService(host);
    } finally {
      server.close();
    }

    assert.equal(seen.control, CONTROL);
    assert.deepEqual(host.infos, [
      'Token service: https://graph.microsoft.com/.default: 3 token(s) issued, the last one expiring 2030-01-01T00:00:00.000Z; 1 refresh(es) failed.',
      'Token service: api://x/.default: 2 token(s) issued.',
      'Stopped the token service (process 4242).',
    ]);
  });

  it('says it stopped the service only once its port is closed, and waits for that at most about 3 s', async () => {
    const body = JSON.stringify({ pid: 4242, scopes: [] });
    const slow = await answering(body, {}, 400);
    const stuck = await answering(body, {}, 'never');
    const slowHost = new FakeHost(record(slow.port));
    const stuckHost = new FakeHost(record(stuck.port));

    await stopTokenService(slowHost);
    const slowListening = await portOpen(slow.port);
    const started = Date.now();
    await stopTokenService(stuckHost);
    const stuckMs = Date.now() - started;
    stuck.server.close();

    assert.equal(slowListening, false);
    assert.deepEqual(slowHost.infos, ['Stopped the token service (process 4242).']);
    assert.ok(stuckMs >= 2_900 && stuckMs < 4_500, `waited ${String(stuckMs)} ms`);
    assert.deepEqual(stuckHost.infos, ['Stopped the token service (process 4242).']);
  });

  it('does not take an answer from another process (another pid) for the service', async () => {
    const { server, port } = await answering(JSON.stringify({ pid: 1, scopes: [] }), {});
    const host = new FakeHost(record(port, 4242));

    try {
      await stopTokenService(host);
    } finally {
      server.close();
    }

    assert.match(host.infos.join('\n'), /had already stopped/);
  });
});

describe('stopTokenService: the federated token file', () => {
  function recordWithFile(port: number, tokenFile: string): string {
    return JSON.stringify({ url: `http://127.0.0.1:${String(port)}`, pid: 4242, control: CONTROL, tokenFile });
  }

  it('deletes the file and prints the rotation margin the service reports', async () => {
    const file = join(testTempDir('entra-stop-file-'), 'entratoken-federated-0123456789abcdef.jwt');
    writeFileSync(file, 'assertion');
    const body = JSON.stringify({
      pid: 4242,
      scopes: [],
      federatedTokenFile: { rewrites: 4, failed: 0, oldestReplacedAgeSeconds: 12, oldestReplacedLifetimeSeconds: 24 },
    });
    const { server, port } = await answering(body, {});
    const host = new FakeHost(recordWithFile(port, file));

    try {
      await stopTokenService(host);
    } finally {
      server.close();
    }

    assert.equal(existsSync(file), false);
    assert.deepEqual(host.infos, [
      'Token service: AZURE_FEDERATED_TOKEN_FILE rewritten 4 time(s); the oldest assertion was replaced 12 s after it was issued, of a 24 s life.',
      'Stopped the token service (process 4242).',
      'Deleted the federated token file.',
    ]);
  });

  it('deletes the file when the service had already gone', async () => {
    const file = join(testTempDir('entra-stop-gone-'), 'entratoken-federated-fedcba9876543210.jwt');
    writeFileSync(file, 'assertion');
    const { server, port } = await answering('', {});
    await new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    );
    const host = new FakeHost(recordWithFile(port, file));

    await stopTokenService(host);

    assert.equal(existsSync(file), false);
    assert.deepEqual(host.infos.slice(1), ['Deleted the federated token file.']);
  });

  it("deletes nothing whose name is not the service's own, whatever the record says", async () => {
    const file = join(testTempDir('entra-stop-other-'), 'important.txt');
    writeFileSync(file, 'keep me');
    const { server, port } = await answering(JSON.stringify({ pid: 4242, scopes: [] }), {});
    const host = new FakeHost(recordWithFile(port, file));

    try {
      await stopTokenService(host);
    } finally {
      server.close();
    }

    assert.equal(readFileSync(file, 'utf8'), 'keep me');
    assert.deepEqual(host.infos, ['Stopped the token service (process 4242).']);
  });
});
