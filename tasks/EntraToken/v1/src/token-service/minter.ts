// Keeps one token per scope and mints a fresh OIDC assertion and Entra token when the cached one is within
// five minutes of expiry, or when a caller asks; concurrent callers share one refresh.
import type { AccessToken } from '../token/exchange';

export const REFRESH_WINDOW_MS = 5 * 60 * 1000;

export type Mint = (scope: string) => Promise<AccessToken>;

export class TokenMinter {
  private readonly cache = new Map<string, AccessToken>();
  private readonly pending = new Map<string, Promise<AccessToken>>();

  constructor(
    private readonly mint: Mint,
    private readonly onIssued: (scope: string, token: AccessToken) => void,
    private readonly now: () => number = Date.now,
  ) {}

  get(scope: string, forceRefresh = false): Promise<AccessToken> {
    const cached = this.cache.get(scope);
    if (!forceRefresh && cached && cached.expiresOn.getTime() - this.now() > REFRESH_WINDOW_MS) return Promise.resolve(cached);
    const inFlight = this.pending.get(scope);
    if (inFlight) return inFlight;
    const minting = this.mint(scope)
      .then((token) => {
        this.cache.set(scope, token);
        this.onIssued(scope, token);
        return token;
      })
      .finally(() => this.pending.delete(scope));
    this.pending.set(scope, minting);
    return minting;
  }
}
