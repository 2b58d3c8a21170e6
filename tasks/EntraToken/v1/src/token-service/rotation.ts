// Keeps the federated token file current. Assertions live from 5 minutes (legacy issuer) to hours (Entra issuer),
// so the next rewrite is timed from the assertion's own exp: halfway through what is left of its life, which
// leaves a reader at least half its life to present it. A failed fetch is retried soon, not at the next half-life.
import { decodeClaims } from '../token/claims';

export interface RotationTiming {
  /** Never rewrite more often than this, whatever exp says. */
  readonly minDelayMs: number;
  /** When the assertion carries no exp: how long until the next rewrite. */
  readonly unknownLifetimeDelayMs: number;
  /** After a failed fetch, try again within this. */
  readonly retryDelayMs: number;
}

export const DEFAULT_ROTATION: RotationTiming = { minDelayMs: 1_000, unknownLifetimeDelayMs: 60_000, retryDelayMs: 10_000 };

export interface RotationSummary {
  readonly rewrites: number;
  readonly failed: number;
  /** The oldest an assertion got (seconds since it was issued) before the file held a newer one. */
  readonly oldestReplacedAgeSeconds?: number;
  /** That assertion's whole life (exp − iat), so the margin reads as "replaced after X of Y s". */
  readonly oldestReplacedLifetimeSeconds?: number;
}

export interface RotationDependencies {
  readonly fetch: () => Promise<string>;
  readonly write: (assertion: string) => Promise<void>;
  readonly now?: () => number;
  readonly timing?: RotationTiming;
}

interface Current {
  readonly issuedAt: number;
  readonly expiresAt: number | undefined;
}

function describe(assertion: string, now: number): Current {
  const claims = decodeClaims(assertion);
  return { issuedAt: claims?.issuedAt?.getTime() ?? now, expiresAt: claims?.expiresAt?.getTime() };
}

/** Half of what is left of the assertion's life, at least `minDelayMs`. */
export function rewriteDelayMs(expiresAt: number | undefined, now: number, timing: RotationTiming = DEFAULT_ROTATION): number {
  if (expiresAt === undefined) return timing.unknownLifetimeDelayMs;
  return Math.max(timing.minDelayMs, Math.floor((expiresAt - now) / 2));
}

export class AssertionRotation {
  private current: Current | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private rewrites = 0;
  private failed = 0;
  private oldest: { age: number; lifetime: number | undefined } | undefined;
  private readonly now: () => number;
  private readonly timing: RotationTiming;

  constructor(private readonly deps: RotationDependencies) {
    this.now = deps.now ?? Date.now;
    this.timing = deps.timing ?? DEFAULT_ROTATION;
  }

  /** Writes the first assertion (the one the task already holds) and schedules the next rewrite. */
  async start(initial: string): Promise<void> {
    await this.deps.write(initial);
    this.current = describe(initial, this.now());
    this.schedule(rewriteDelayMs(this.current.expiresAt, this.now(), this.timing));
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  summary(): RotationSummary {
    const oldest =
      this.oldest === undefined
        ? {}
        : {
            oldestReplacedAgeSeconds: Math.round(this.oldest.age / 1000),
            ...(this.oldest.lifetime === undefined ? {} : { oldestReplacedLifetimeSeconds: Math.round(this.oldest.lifetime / 1000) }),
          };
    return { rewrites: this.rewrites, failed: this.failed, ...oldest };
  }

  /** Runs one rewrite now; the timer calls it, and tests may. */
  async rotate(): Promise<void> {
    try {
      const assertion = await this.deps.fetch();
      await this.deps.write(assertion);
      this.replaced(describe(assertion, this.now()));
      this.schedule(rewriteDelayMs(this.current?.expiresAt, this.now(), this.timing));
    } catch {
      this.failed += 1;
      const left = this.current?.expiresAt === undefined ? this.timing.retryDelayMs : this.current.expiresAt - this.now();
      this.schedule(Math.max(this.timing.minDelayMs, Math.min(this.timing.retryDelayMs, Math.floor(left / 4))));
    }
  }

  private replaced(next: Current): void {
    const previous = this.current;
    this.current = next;
    this.rewrites += 1;
    if (previous === undefined) return;
    const age = this.now() - previous.issuedAt;
    const lifetime = previous.expiresAt === undefined ? undefined : previous.expiresAt - previous.issuedAt;
    if (this.oldest === undefined || age > this.oldest.age) this.oldest = { age, lifetime };
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    // The server keeps the process alive; this timer alone must not.
    this.timer = setTimeout(() => {
      void this.rotate();
    }, delayMs);
    this.timer.unref();
  }
}
