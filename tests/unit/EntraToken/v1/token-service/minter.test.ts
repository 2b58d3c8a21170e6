import assert from 'node:assert/strict';
import type { AccessToken } from '../../../../../tasks/EntraToken/v1/src/token/exchange';
import { REFRESH_WINDOW_MS, TokenMinter } from '../../../../../tasks/EntraToken/v1/src/token-service/minter';

function minterAt(clock: { now: number }, lifetimeMs: number) {
  const minted: string[] = [];
  const issued: string[] = [];
  const minter = new TokenMinter(
    (scope) => {
      minted.push(scope);
      return Promise.resolve<AccessToken>({ token: `t${String(minted.length)}`, expiresOn: new Date(clock.now + lifetimeMs) });
    },
    (scope) => issued.push(scope),
    () => clock.now,
  );
  return { minter, minted, issued };
}

describe('TokenMinter: caching', () => {
  it('serves the cached token until it is within five minutes of expiry, then mints a fresh one', async () => {
    const clock = { now: 0 };
    const { minter, minted } = minterAt(clock, 60 * 60 * 1000);

    const first = await minter.get('s');
    clock.now = 60 * 60 * 1000 - REFRESH_WINDOW_MS - 1;
    const cached = await minter.get('s');
    clock.now += 2;
    const fresh = await minter.get('s');

    assert.deepEqual([first.token, cached.token, fresh.token], ['t1', 't1', 't2']);
    assert.equal(minted.length, 2);
  });

  it('mints when asked, and shares one mint among concurrent callers', async () => {
    const clock = { now: 0 };
    const { minter, minted, issued } = minterAt(clock, 60 * 60 * 1000);
    await minter.get('s');

    const [a, b] = await Promise.all([minter.get('s', true), minter.get('s', true)]);

    assert.equal(a.token, b.token);
    assert.equal(minted.length, 2);
    assert.deepEqual(issued, ['s', 's']);
  });
});
