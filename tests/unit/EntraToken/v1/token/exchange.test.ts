import assert from 'node:assert/strict';
import { TaskError } from '../../../../../tasks/EntraToken/v1/src/common/messages';
import { MAX_TOKEN_LIFETIME_MS, usableToken } from '../../../../../tasks/EntraToken/v1/src/token/exchange';

const NOW = Date.parse('2026-12-02T12:00:00Z');

describe('usableToken: an answer later steps can use', () => {
  it('keeps the token and turns the timestamp into a date', () => {
    const token = usableToken('eyJ.a.b', NOW + 3_599_000, NOW);

    assert.deepEqual(token, { token: 'eyJ.a.b', expiresOn: new Date(NOW + 3_599_000) });
  });
});

describe('usableToken: a broken answer fails before anything is exported', () => {
  const cases: [string, string, number, RegExp][] = [
    ['an empty token', '', NOW + 60_000, /the token is empty/],
    ['a token with a line break', 'a\nb', NOW + 60_000, /whitespace or control characters/],
    ['a missing expires_in (NaN)', 'tok', Number.NaN, /expires_in\) is missing or not a number/],
    ['an infinite expiry', 'tok', Number.POSITIVE_INFINITY, /missing or not a number/],
    ['a negative expires_in', 'tok', NOW - 60_000, /it expired at 2026-12-02T11:59:00\.000Z/],
    ['an expiry of now', 'tok', NOW, /it expired at/],
    ['a lifetime of a few seconds', 'tok', NOW + 5_000, /it expires at 2026-12-02T12:00:05\.000Z, less than a minute from now/],
    ['an absurd lifetime', 'tok', NOW + MAX_TOKEN_LIFETIME_MS + 1, /claims to be valid until 2026-12-04T12:00:00\.001Z/],
    ['a lifetime beyond any date', 'tok', 1e20, /claims to be valid until 100000000000000000000/],
  ];
  for (const [name, token, expires, expected] of cases) {
    it(name, () => {
      assert.throws(
        () => usableToken(token, expires, NOW),
        (error: unknown) => error instanceof TaskError && expected.test(error.message) && error.message.includes('nothing was exported'),
      );
    });
  }
});
