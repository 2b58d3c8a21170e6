// A container job as the agent runs one, without Docker: a PID and mount namespace whose init is a keep-alive
// Node process (the agent starts its job containers with one), the job folder bind-mounted at a container
// path (/mnt/__w here; /__w on real agents), and every step entered with nsenter, the way `docker exec` does,
// so a step's parent pid is 0. The network is shared, like the loopback inside one container.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { assertNoRuntimeWarnings, TASK_NODE, taskRunFrom, type TaskRun } from './agent';

/** Where the job folder appears inside the container. */
export const CONTAINER_WORK = '/mnt/__w';

/** Why this machine cannot make the namespaces (not root, no CAP_SYS_ADMIN, no util-linux), or undefined. */
export function containersUnsupported(): string | undefined {
  const probe = spawnSync('unshare', ['--pid', '--fork', '--mount', '--mount-proc', 'true'], { stdio: 'ignore', timeout: 10_000 });
  if (probe.error) return `unshare is not available (${probe.error.message})`;
  return probe.status === 0 ? undefined : 'unshare --pid --mount is not permitted here (it needs root or CAP_SYS_ADMIN)';
}

export interface StepOutput {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export class ContainerJob {
  private constructor(
    private readonly holder: ChildProcess,
    private readonly initPid: number,
  ) {}

  /** Starts the container with the host folder mounted at CONTAINER_WORK. */
  static async start(hostWork: string): Promise<ContainerJob> {
    const script = `mount -t tmpfs tmpfs /mnt && mkdir -p ${CONTAINER_WORK} && mount --bind "$1" ${CONTAINER_WORK} && exec "$2" -e 'setInterval(() => undefined, 1 << 30)'`;
    const holder = spawn(
      'unshare',
      ['--pid', '--fork', '--mount', '--mount-proc', '--propagation', 'private', 'sh', '-c', script, 'sh', hostWork, process.execPath],
      { stdio: 'ignore' },
    );
    const childrenFile = `/proc/${String(holder.pid)}/task/${String(holder.pid)}/children`;
    for (let waited = 0; waited < 10_000; waited += 50) {
      const init = existsSync(childrenFile) ? Number(readFileSync(childrenFile, 'utf8').trim().split(' ')[0]) : NaN;
      // The shell's own command line names setInterval too; only once it has exec'd Node are the mounts in place.
      if (init > 0 && readFileSync(`/proc/${String(init)}/cmdline`, 'utf8').split('\0')[0] === process.execPath) {
        return new ContainerJob(holder, init);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    holder.kill('SIGKILL');
    throw new Error('the container did not start within 10 s');
  }

  /** Runs one step inside the container (its parent pid is 0 there), in a container working directory. */
  exec(
    command: string,
    args: readonly string[],
    env: Readonly<Record<string, string>>,
    cwd: string,
    timeoutMs = 60_000,
  ): Promise<StepOutput> {
    return new Promise((resolve, reject) => {
      // nsenter's --wd resolves the folder outside the container, so `env -C` changes to it inside and execs the
      // command (the parent pid stays 0). Not a shell: shells drop variables like ENDPOINT_AUTH_<guid>.
      const enter = ['--target', String(this.initPid), '--pid', '--mount', '--', 'env', '-C', cwd, command, ...args];
      const child = spawn('nsenter', enter, { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (code) => {
        resolve({ code, stdout, stderr });
      });
    });
  }

  /** Runs a bundle of the task (container path) as a Node handler step. */
  async runTask(bundle: string, env: Readonly<Record<string, string>>, cwd: string): Promise<TaskRun> {
    const output = await this.exec(TASK_NODE, [bundle], env, cwd);
    const run = taskRunFrom(output.code, output.stdout, output.stderr);
    assertNoRuntimeWarnings(run, TASK_NODE);
    return run;
  }

  /** The job ends: the agent removes the container, and every process in it goes. */
  remove(): void {
    try {
      process.kill(this.initPid, 'SIGKILL');
    } catch {
      // already gone
    }
    this.holder.kill('SIGKILL');
  }
}
