// Whether the agent that ran the task is still there. A pid alone is weak: in a container job the task's parent
// lives outside the pid namespace (ppid 0), pid 1 is init (the task was already orphaned), and Windows reuses pids
// within minutes. So the pid is watched only when it can mean something, and on Linux together with the
// process's start time, which a reused pid does not share. Where it cannot be watched, the service relies on its
// 24-hour lifetime and on the agent's orphan cleanup, which finds it by the VSTS_PROCESS_LOOKUP_ID it inherits.
import { readFileSync } from 'node:fs';

export interface ProcessProbe {
  exists(pid: number): boolean;
  /** Something that identifies this incarnation of the pid, when the platform offers it. */
  startMarker(pid: number): string | undefined;
}

export interface AgentWatch {
  /** False when the pid cannot identify the agent; then `gone` never answers true. */
  readonly watching: boolean;
  gone(): boolean;
}

export const systemProbe: ProcessProbe = {
  exists(pid) {
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      // EPERM: it exists but belongs to someone else.
      return error instanceof Error && Reflect.get(error, 'code') === 'EPERM';
    }
  },
  startMarker(pid) {
    if (process.platform !== 'linux') return undefined;
    try {
      const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
      // Field 22 (starttime); the command name before it may hold spaces and parentheses.
      return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    } catch {
      return undefined;
    }
  },
};

export function watchAgent(pid: number, probe: ProcessProbe = systemProbe): AgentWatch {
  if (!Number.isInteger(pid) || pid <= 1) return { watching: false, gone: () => false };
  const marker = probe.startMarker(pid);
  return {
    watching: true,
    gone: () => !probe.exists(pid) || (marker !== undefined && probe.startMarker(pid) !== marker),
  };
}
