import assert from 'node:assert/strict';
import { RegistryTokens } from '../../../../../tasks/EntraToken/v1/src/token-service/registry-tokens';

const HOUR = 3_600_000;

/** A JWT-shaped refresh token that expires at `expMs`, as ACR's are. */
function refreshToken(expMs: number, n: number): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256' })}.${part({ exp: Math.floor(expMs / 1000), jti: String(n) })}.sig`;
}

class Clock {
  ms = 1_800_000_000_000;
  readonly now = () => this.ms;
}

describe('RegistryTokens: when it exchanges again', () => {
  it('reuses a refresh token for the first half of its life, then exchanges for a new one', async () => {
    const clock = new Clock();
    let exchanged = 0;
    const tokens = new RegistryTokens(
      ['contoso.azurecr.io'],
      () => Promise.resolve(refreshToken(clock.ms + 3 * HOUR, ++exchanged)),
      clock.now,
    );

    const first = await tokens.get('contoso.azurecr.io');
    clock.ms += 1.4 * HOUR;
    const reused = await tokens.get('Contoso.azurecr.io');
    clock.ms += 0.2 * HOUR;
    const renewed = await tokens.get('contoso.azurecr.io');

    assert.equal(reused.refreshToken, first.refreshToken);
    assert.notEqual(renewed.refreshToken, first.refreshToken);
    assert.equal(exchanged, 2);
  });

  it('assumes 30 minutes for a refresh token whose expiry it cannot read', async () => {
    const clock = new Clock();
    let exchanged = 0;
    const tokens = new RegistryTokens(['r.example'], () => Promise.resolve(`opaque-${String(++exchanged)}`), clock.now);

    await tokens.get('r.example');
    clock.ms += 14 * 60_000;
    const reused = await tokens.get('r.example');
    clock.ms += 2 * 60_000;
    const renewed = await tokens.get('r.example');

    assert.deepEqual([reused.refreshToken, renewed.refreshToken, reused.expiresOn], ['opaque-1', 'opaque-2', undefined]);
  });

  it('exchanges once for callers that ask at the same time', async () => {
    let exchanged = 0;
    const tokens = new RegistryTokens(['r.example'], () => Promise.resolve(refreshToken(Date.now() + HOUR, ++exchanged)));

    const answers = await Promise.all([tokens.get('r.example'), tokens.get('r.example'), tokens.get('r.example')]);

    assert.equal(exchanged, 1);
    assert.equal(new Set(answers.map((answer) => answer.refreshToken)).size, 1);
  });
});

describe('RegistryTokens: a failed exchange', () => {
  it('falls back to the token it holds while that has a minute left, and fails after', async () => {
    const clock = new Clock();
    let fail = false;
    const tokens = new RegistryTokens(
      ['r.example'],
      () => (fail ? Promise.reject(new Error('registry said no')) : Promise.resolve(refreshToken(clock.ms + HOUR, 1))),
      clock.now,
    );
    const held = await tokens.get('r.example');
    fail = true;

    clock.ms += 0.9 * HOUR;
    const fallback = await tokens.get('r.example');
    clock.ms += 0.09 * HOUR;

    assert.equal(fallback.refreshToken, held.refreshToken);
    await assert.rejects(tokens.get('r.example'), /registry said no/);
  });
});

describe('RegistryTokens: which registries it serves', () => {
  it('serves the configured login servers, in any case, and nothing else', () => {
    const tokens = new RegistryTokens(['contoso.azurecr.io'], () => Promise.reject(new Error('unused')));

    assert.deepEqual(
      ['contoso.azurecr.io', 'CONTOSO.azurecr.io', 'evil.example', 'contoso.azurecr.io.evil.example'].map((host) => tokens.serves(host)),
      [true, true, false, false],
    );
  });
});
