import assert from 'node:assert/strict';
import type { AccessToken } from '../../../../../tasks/EntraToken/v1/src/token/exchange';
import {
  DEFAULT_TIMING,
  MintTimeoutError,
  TokenMinter,
  type MinterTiming,
} from '../../../../../tasks/EntraToken/v1/src/token-service/minter';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Real waits stay short in tests; the clock the minter reads for expiry is the fake one. */
const TIMING: MinterTiming = { ...DEFAULT_TIMING, refreshWaitMs: 50, mintWaitMs: 200 };

type Behaviour = 'mint' | 'fail' | 'hang';

/** A hand-written Mint: each call mints, fails or never answers, as the test says. */
class FakeMint {
  readonly calls: { scope: string; forced: boolean }[] = [];
  behaviour: Behaviour = 'mint';
  lifetimeMs = HOUR;

  constructor(private readonly clock: { now: number }) {}

  readonly mint = (scope: string, forced: boolean): Promise<AccessToken> => {
    this.calls.push({ scope, forced });
    if (this.behaviour === 'fail') return Promise.reject(new Error('Entra answered 503'));
    if (this.behaviour === 'hang') return new Promise<AccessToken>(() => undefined);
    return Promise.resolve({ token: `t${String(this.calls.length)}`, expiresOn: new Date(this.clock.now + this.lifetimeMs) });
  };
}

function setup(timing: MinterTiming = TIMING) {
  const clock = { now: 1_000_000 };
  const fake = new FakeMint(clock);
  const issued: string[] = [];
  const failed: string[] = [];
  const minter = new TokenMinter(
    fake.mint,
    { issued: (scope) => issued.push(scope), failed: (_scope, message) => failed.push(message) },
    () => clock.now,
    timing,
  );
  return { clock, fake, minter, issued, failed };
}

describe('TokenMinter: caching and refresh ahead of expiry', () => {
  it('serves the cached token until it is within five minutes of expiry, then mints a fresh one', async () => {
    const { clock, fake, minter } = setup();

    const first = await minter.get('s');
    clock.now += HOUR - 5 * MINUTE - 1;
    const cached = await minter.get('s');
    clock.now += 2;
    const fresh = await minter.get('s');

    assert.deepEqual([first.token, cached.token, fresh.token], ['t1', 't1', 't2']);
    assert.equal(fake.calls.length, 2);
  });

  it('shares one mint among concurrent callers', async () => {
    const { fake, minter } = setup();

    const [a, b, c] = await Promise.all([minter.get('s'), minter.get('s'), minter.get('s')]);

    assert.equal(a.token, b.token);
    assert.equal(b.token, c.token);
    assert.equal(fake.calls.length, 1);
  });
});

describe('TokenMinter: a failing or hanging refresh', () => {
  it('keeps serving the cached token while it has at least a minute left when the refresh fails', async () => {
    const { clock, fake, minter, failed } = setup();
    await minter.get('s');
    clock.now += HOUR - 200_000; // 200 s left
    fake.behaviour = 'fail';

    const served = await minter.get('s');

    assert.equal(served.token, 't1');
    assert.deepEqual(failed, ['Entra answered 503']);
  });

  it('answers within the short wait when the refresh hangs, and lets it go on in the background', async () => {
    const { clock, fake, minter } = setup();
    await minter.get('s');
    clock.now += HOUR - 200_000;
    fake.behaviour = 'hang';

    const started = Date.now();
    const served = await minter.get('s');
    const again = await minter.get('s');
    const waited = Date.now() - started;

    assert.equal(served.token, 't1');
    assert.equal(again.token, 't1');
    assert.equal(fake.calls.length, 2, 'the second caller joined the refresh in flight');
    assert.ok(waited < 1_000, `callers waited ${String(waited)} ms`);
  });

  it('waits a little after a failure before trying Entra again', async () => {
    const { clock, fake, minter } = setup();
    await minter.get('s');
    clock.now += HOUR - 200_000;
    fake.behaviour = 'fail';
    await minter.get('s');

    await minter.get('s');
    clock.now += DEFAULT_TIMING.failureBackoffMs;
    await minter.get('s');

    assert.equal(fake.calls.length, 3);
  });

  it('never serves a token with less than a minute left: the caller gets the failure instead', async () => {
    const { clock, fake, minter } = setup();
    await minter.get('s');
    clock.now += HOUR - 59_000;
    fake.behaviour = 'fail';

    await assert.rejects(minter.get('s'), /Entra answered 503/);
  });

  it('gives up waiting for a first mint after the bound, and the next caller joins the same mint', async () => {
    const { fake, minter } = setup();
    fake.behaviour = 'hang';

    await assert.rejects(minter.get('s'), MintTimeoutError);
    await assert.rejects(minter.get('s'), MintTimeoutError);

    assert.equal(fake.calls.length, 1);
  });
});

describe('TokenMinter: forced refreshes', () => {
  it('reuses a token minted in the last 30 s, then mints a new one past that', async () => {
    const { clock, fake, minter } = setup();
    await minter.get('s');

    const burst = await Promise.all(Array.from({ length: 20 }, () => minter.get('s', true)));
    clock.now += 30_000;
    const forced = await minter.get('s', true);

    assert.ok(burst.every((token) => token.token === 't1'));
    assert.equal(forced.token, 't2');
    assert.deepEqual(
      fake.calls.map((call) => call.forced),
      [false, true],
    );
  });

  it('limits each scope separately', async () => {
    const { fake, minter } = setup();

    await minter.get('a', true);
    await minter.get('b', true);
    await minter.get('a', true);

    assert.deepEqual(
      fake.calls.map((call) => call.scope),
      ['a', 'b'],
    );
  });
});
