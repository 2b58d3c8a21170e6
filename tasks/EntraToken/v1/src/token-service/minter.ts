// Keeps one token per scope and refreshes it ahead of expiry. A caller never gets a token with less than a
// minute left, never waits more than a few seconds while a usable token is cached (a slow or failing refresh
// carries on in the background), and cannot make the service mint more than once per 30 s per scope.
import type { AccessToken } from '../token/exchange';

export interface MinterTiming {
  /** Refresh once the cached token has less than this left. */
  readonly refreshAheadMs: number;
  /** Never serve a token with less than this left: the caller still has to use it. */
  readonly minRemainingMs: number;
  /** How long a caller waits for a refresh while a usable token is cached. */
  readonly refreshWaitMs: number;
  /** How long a caller waits for a mint when no usable token is cached. */
  readonly mintWaitMs: number;
  /** A forced refresh reuses a token minted this recently. */
  readonly forcedReuseMs: number;
  /** After a failed refresh, the cached token is served this long before the next attempt. */
  readonly failureBackoffMs: number;
}

export const DEFAULT_TIMING: MinterTiming = {
  refreshAheadMs: 5 * 60_000,
  minRemainingMs: 60_000,
  refreshWaitMs: 2_000,
  mintWaitMs: 20_000,
  forcedReuseMs: 30_000,
  failureBackoffMs: 10_000,
};

/** `forced`: the caller asked for a new token, so the mint must not be answered from any cache. */
export type Mint = (scope: string, forced: boolean) => Promise<AccessToken>;

export interface MinterEvents {
  issued(scope: string, token: AccessToken): void;
  failed(scope: string, message: string): void;
}

interface Entry {
  readonly token: AccessToken;
  readonly mintedAt: number;
}

export class MintTimeoutError extends Error {
  constructor(seconds: number) {
    super(`No token could be minted within ${String(seconds)} s; the mint goes on, so ask again shortly.`);
    this.name = 'MintTimeoutError';
  }
}

function within<T>(promise: Promise<T>, ms: number): Promise<{ readonly value: T } | undefined> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => {
        resolve(undefined);
      },
      Math.max(0, ms),
    );
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve({ value });
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

export class TokenMinter {
  private readonly cache = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<AccessToken>>();
  private readonly lastFailure = new Map<string, number>();

  constructor(
    private readonly mint: Mint,
    private readonly events: MinterEvents,
    private readonly now: () => number = Date.now,
    private readonly timing: MinterTiming = DEFAULT_TIMING,
  ) {}

  async get(scope: string, forceRefresh = false): Promise<AccessToken> {
    const entry = this.cache.get(scope);
    const usable = entry !== undefined && this.remaining(entry) >= this.timing.minRemainingMs ? entry : undefined;
    if (usable && forceRefresh && this.now() - usable.mintedAt < this.timing.forcedReuseMs) return usable.token;
    if (usable && !forceRefresh && (this.remaining(usable) > this.timing.refreshAheadMs || this.backingOff(scope))) return usable.token;
    const refresh = this.refresh(scope, forceRefresh);
    if (!usable) {
      const minted = await within(refresh, this.timing.mintWaitMs);
      if (!minted) throw new MintTimeoutError(Math.round(this.timing.mintWaitMs / 1000));
      return minted.value;
    }
    // A usable token exists: wait briefly for the fresh one, and fall back to the cached one if it is slow or fails.
    const wait = Math.min(this.timing.refreshWaitMs, this.remaining(usable) - this.timing.minRemainingMs);
    const fresh = await within(refresh, wait).catch(() => undefined);
    if (fresh) return fresh.value;
    if (this.remaining(usable) >= this.timing.minRemainingMs) return usable.token;
    return this.get(scope);
  }

  private remaining(entry: Entry): number {
    return entry.token.expiresOn.getTime() - this.now();
  }

  private backingOff(scope: string): boolean {
    const failedAt = this.lastFailure.get(scope);
    return failedAt !== undefined && this.now() - failedAt < this.timing.failureBackoffMs;
  }

  /** One refresh per scope at a time; it runs to its end (and fills the cache) even when no caller waits. */
  private refresh(scope: string, forced: boolean): Promise<AccessToken> {
    const inFlight = this.pending.get(scope);
    if (inFlight) return inFlight;
    const minting = this.mint(scope, forced)
      .then(
        (token) => {
          this.cache.set(scope, { token, mintedAt: this.now() });
          this.lastFailure.delete(scope);
          this.events.issued(scope, token);
          return token;
        },
        (error: unknown) => {
          this.lastFailure.set(scope, this.now());
          const message = error instanceof Error ? error.message : String(error);
          this.events.failed(scope, message);
          throw error instanceof Error ? error : new Error(message);
        },
      )
      .finally(() => this.pending.delete(scope));
    // Nobody may be waiting when it fails: the failure is recorded above, not left unhandled.
    minting.catch(() => undefined);
    this.pending.set(scope, minting);
    return minting;
  }
}
