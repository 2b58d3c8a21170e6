// Keeps one ACR refresh token per configured registry for the docker credential helper. It is exchanged again
// once half of its life has gone (its life read from the token's own `exp`; ACR's last three hours), from a fresh
// ARM token, so a pull late in a long job still gets a token with hours left. A failed exchange falls back to
// the one held while that still has a minute left.
import { decodeClaims } from '../token/claims';
import { rewriteDelayMs } from './rotation';
import type { RegistryToken, RegistryTokenSource } from './registry-route';

/** Assumed for a refresh token whose lifetime cannot be read: well under ACR's three hours. */
const UNKNOWN_LIFETIME_MS = 30 * 60_000;
const MIN_REMAINING_MS = 60_000;
/** The federated token file's rule (half of what is left), with the assumed lifetime above. */
const RENEWAL = { minDelayMs: 1_000, unknownLifetimeDelayMs: UNKNOWN_LIFETIME_MS / 2, retryDelayMs: 0 };

interface Held {
  readonly token: RegistryToken;
  readonly renewAt: number;
  readonly usableUntil: number;
}

export class RegistryTokens implements RegistryTokenSource {
  private readonly served: ReadonlySet<string>;
  private readonly held = new Map<string, Held>();
  private readonly pending = new Map<string, Promise<RegistryToken>>();

  constructor(
    registries: readonly string[],
    private readonly exchange: (registry: string) => Promise<string>,
    private readonly now: () => number = Date.now,
  ) {
    this.served = new Set(registries.map((registry) => registry.toLowerCase()));
  }

  serves(registry: string): boolean {
    return this.served.has(registry.toLowerCase());
  }

  async get(registry: string): Promise<RegistryToken> {
    const key = registry.toLowerCase();
    const held = this.held.get(key);
    if (held !== undefined && this.now() < held.renewAt) return held.token;
    try {
      return await this.renew(key);
    } catch (error) {
      if (held !== undefined && this.now() < held.usableUntil) return held.token;
      throw error;
    }
  }

  private renew(registry: string): Promise<RegistryToken> {
    const inFlight = this.pending.get(registry);
    if (inFlight) return inFlight;
    const renewing = this.exchange(registry)
      .then((refreshToken) => {
        const issuedAt = this.now();
        const expiresOn = decodeClaims(refreshToken)?.expiresAt;
        const renewAt = issuedAt + rewriteDelayMs(expiresOn?.getTime(), issuedAt, RENEWAL);
        const usableUntil = (expiresOn?.getTime() ?? issuedAt + UNKNOWN_LIFETIME_MS) - MIN_REMAINING_MS;
        const token = { refreshToken, expiresOn };
        this.held.set(registry, { token, renewAt, usableUntil });
        return token;
      })
      .finally(() => this.pending.delete(registry));
    this.pending.set(registry, renewing);
    return renewing;
  }
}
