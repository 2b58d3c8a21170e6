import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { systemProbe, watchAgent, type ProcessProbe } from '../../../../../tasks/EntraToken/v1/src/token-service/liveness';

/** A hand-written process table: pid → start marker; absent means no such process. */
class FakeProcesses implements ProcessProbe {
  readonly table = new Map<number, string | undefined>();
  exists(pid: number): boolean {
    return this.table.has(pid);
  }
  startMarker(pid: number): string | undefined {
    return this.table.get(pid);
  }
}

describe('watchAgent: when the agent counts as gone', () => {
  it('does not watch pid 0 (a container job) nor 1 (init), so the service lives on until its lifetime or the cleanup', () => {
    const processes = new FakeProcesses();

    const container = watchAgent(0, processes);
    const init = watchAgent(1, processes);

    assert.equal(container.watching, false);
    assert.equal(container.gone(), false);
    assert.equal(init.watching, false);
  });

  it('sees the agent go when its pid disappears', () => {
    const processes = new FakeProcesses();
    processes.table.set(4242, '1000');
    const watch = watchAgent(4242, processes);
    const before = watch.gone();

    processes.table.delete(4242);

    assert.deepEqual([watch.watching, before, watch.gone()], [true, false, true]);
  });

  it('sees the agent go when its pid was reused by a process that started later', () => {
    const processes = new FakeProcesses();
    processes.table.set(4242, '1000');
    const watch = watchAgent(4242, processes);

    processes.table.set(4242, '9000');

    assert.equal(watch.gone(), true);
  });

  it('falls back to the pid alone where the platform gives no start marker', () => {
    const processes = new FakeProcesses();
    processes.table.set(4242, undefined);
    const watch = watchAgent(4242, processes);

    assert.equal(watch.gone(), false);
  });
});

describe('systemProbe: the real process table', () => {
  it('knows this process, and not one that has exited', () => {
    const exited = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });

    assert.equal(systemProbe.exists(process.pid), true);
    assert.equal(systemProbe.exists(Number(exited.stdout)), false);
    if (process.platform === 'linux') assert.match(String(systemProbe.startMarker(process.pid)), /^\d+$/);
  });
});
