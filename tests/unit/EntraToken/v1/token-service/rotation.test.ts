import assert from 'node:assert/strict';
import { field, parseJson } from '../../../../../tasks/EntraToken/v1/src/common/json';
import { AssertionRotation, rewriteDelayMs, DEFAULT_ROTATION } from '../../../../../tasks/EntraToken/v1/src/token-service/rotation';

/** An unsigned JWT with the given iat and exp (seconds): the rotation reads claims, it never verifies. */
function assertion(iat: number, exp: number, tag = 'a'): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none' })}.${part({ iat, exp, jti: tag })}.sig`;
}

describe('rewriteDelayMs: when the token file is rewritten', () => {
  it("waits half of what is left of the assertion's life, from 5 minutes to hours", () => {
    const now = 1_000_000;

    const delays = [300_000, 3_600_000, 20_000].map((life) => rewriteDelayMs(now + life, now));

    assert.deepEqual(delays, [150_000, 1_800_000, 10_000]);
  });

  it('never waits less than the minimum, and uses the fallback when the assertion has no exp', () => {
    assert.equal(rewriteDelayMs(1_000, 5_000), DEFAULT_ROTATION.minDelayMs);
    assert.equal(rewriteDelayMs(undefined, 5_000), DEFAULT_ROTATION.unknownLifetimeDelayMs);
  });
});

describe('AssertionRotation: the file always holds the newest assertion', () => {
  it('writes the initial assertion, then each fetched one, and reports the oldest age at replacement', async () => {
    let now = 100_000;
    const written: string[] = [];
    const fetched = [assertion(120, 160, 'b'), assertion(140, 180, 'c')];
    const rotation = new AssertionRotation({
      fetch: () => Promise.resolve(fetched.shift() ?? ''),
      write: (text) => {
        written.push(text);
        return Promise.resolve();
      },
      now: () => now,
    });

    await rotation.start(assertion(100, 140, 'a'));
    now = 125_000;
    await rotation.rotate();
    now = 145_000;
    await rotation.rotate();
    rotation.stop();

    assert.deepEqual(
      written.map((text) => field(parseJson(Buffer.from(text.split('.')[1] ?? '', 'base64url').toString()), 'jti')),
      ['a', 'b', 'c'],
    );
    assert.deepEqual(rotation.summary(), { rewrites: 2, failed: 0, oldestReplacedAgeSeconds: 25, oldestReplacedLifetimeSeconds: 40 });
  });

  it('counts a failed fetch, keeps the file as it was, and goes on', async () => {
    const written: string[] = [];
    let fail = true;
    const rotation = new AssertionRotation({
      fetch: () => (fail ? Promise.reject(new Error('Azure DevOps answered 503')) : Promise.resolve(assertion(10, 70, 'b'))),
      write: (text) => {
        written.push(text);
        return Promise.resolve();
      },
      now: () => 20_000,
    });

    await rotation.start(assertion(0, 60, 'a'));
    await rotation.rotate();
    fail = false;
    await rotation.rotate();
    rotation.stop();

    assert.equal(written.length, 2);
    assert.deepEqual(rotation.summary(), { rewrites: 1, failed: 1, oldestReplacedAgeSeconds: 20, oldestReplacedLifetimeSeconds: 60 });
  });
});
