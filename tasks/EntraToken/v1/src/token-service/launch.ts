// Starts the token service as a detached process of the same bundle. It gets its configuration over IPC and
// answers with its port; then the task lets go of it, so the agent never waits on the service's handles.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { Limits } from '../http/limits';
import { TaskError, messages } from '../common/messages';
import type { AgentProxy } from '../platform/port';
import type { ServiceConfig, ServiceRequest } from './config';
import { numberField, stringField } from '../common/json';

export const SERVICE_LIFETIME_MS = 24 * 60 * 60 * 1000;
const START_TIMEOUT_MS = 10_000;

export interface RunningService {
  readonly port: number;
  readonly pid: number;
  readonly secret: string;
  /** Stops the service; only the post-job step gets it. */
  readonly controlSecret: string;
}

export type ServiceLauncher = (request: ServiceRequest) => Promise<RunningService>;

export interface LauncherContext {
  readonly bundlePath: string;
  /** The task's parent: the agent worker, or 0 in a container job (see liveness.ts). */
  readonly agentPid: number;
  readonly limits: Limits;
  readonly agentProxy: AgentProxy | undefined;
  /**
   * Only what the service needs from the environment: never the task's inputs or endpoints. It includes
   * VSTS_PROCESS_LOOKUP_ID, by which the agent's orphan cleanup finds and ends the service after the job.
   */
  readonly environment: Readonly<Record<string, string>>;
}

function portFrom(message: unknown): number | undefined {
  const port = numberField(message, 'port');
  return port !== undefined && port > 0 ? port : undefined;
}

export function createServiceLauncher(context: LauncherContext): ServiceLauncher {
  return (request) => {
    const secret = randomBytes(32).toString('hex');
    const controlSecret = randomBytes(32).toString('hex');
    const config: ServiceConfig = {
      ...request,
      secret,
      controlSecret,
      agentPid: context.agentPid,
      lifetimeMs: SERVICE_LIFETIME_MS,
      limits: context.limits,
      agentProxy: context.agentProxy,
    };
    const child = spawn(process.execPath, [context.bundlePath, '--token-service'], {
      detached: true,
      // No console window for the service on Windows agents.
      windowsHide: true,
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      env: context.environment,
    });
    return new Promise<RunningService>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill();
        reject(new TaskError(messages.serviceDidNotStart(`no answer within ${START_TIMEOUT_MS / 1000} s`)));
      }, START_TIMEOUT_MS);
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(new TaskError(messages.serviceDidNotStart(error.message)));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new TaskError(messages.serviceDidNotStart(`it exited with code ${String(code)}`)));
      });
      child.once('message', (message: unknown) => {
        clearTimeout(timer);
        const port = portFrom(message);
        const failure = stringField(message, 'error');
        child.removeAllListeners('exit');
        child.disconnect();
        child.unref();
        if (failure !== undefined) reject(new TaskError(messages.serviceDidNotStart(failure)));
        else if (port === undefined || child.pid === undefined) reject(new TaskError(messages.serviceDidNotStart('it reported no port')));
        else resolve({ port, pid: child.pid, secret, controlSecret });
      });
      child.send(config);
    });
  };
}

/** Ends a service this run started but never exported (a later step failed), so nothing unrecorded outlives the task. */
export function stopStartedService(service: RunningService): void {
  try {
    process.kill(service.pid);
  } catch {
    // already gone
  }
}
