// Queued faults per route: tests arrange "fail twice, then behave" sequences.
import type { Fault, Route } from './types';

interface PendingFault {
  fault: Fault;
  remaining: number;
}

export class FaultQueue {
  private readonly queues = new Map<Route, PendingFault[]>();

  inject(route: Route, fault: Fault): void {
    const remaining = fault.times ?? 1;
    if (!(remaining > 0)) {
      throw new Error(`Fault 'times' must be positive, got ${remaining}`);
    }
    const queue = this.queues.get(route) ?? [];
    queue.push({ fault: { ...fault }, remaining });
    this.queues.set(route, queue);
  }

  /** Drops every fault not yet consumed, so one test's leftovers never reach the next. */
  clear(): void {
    this.queues.clear();
  }

  /** The fault to apply to this request, if any; consumes one use of it. */
  take(route: Route): Fault | undefined {
    const queue = this.queues.get(route);
    const head = queue?.[0];
    if (queue === undefined || head === undefined) {
      return undefined;
    }
    head.remaining -= 1;
    if (head.remaining <= 0) {
      queue.shift();
    }
    return head.fault;
  }
}
