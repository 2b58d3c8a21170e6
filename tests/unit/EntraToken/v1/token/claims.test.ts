import assert from 'node:assert/strict';
import { decodeClaims } from '../../../../../tasks/EntraToken/v1/src/token/claims';
import { unsignedJwt } from '../fake-pipeline';

describe('decodeClaims', () => {
  it('reads issuer, subject, audience (joined when a list) and expiry', () => {
    const claims = decodeClaims(unsignedJwt({ iss: 'i', sub: 's', aud: ['a', 'b'], exp: 1_700_000_000 }));

    assert.deepEqual(claims, { issuer: 'i', subject: 's', audience: 'a, b', expiresAt: new Date(1_700_000_000_000) });
  });

  it('returns undefined for something that is not a JWT', () => {
    assert.equal(decodeClaims('not-a-token'), undefined);
    assert.equal(decodeClaims('a.!!!.c'), undefined);
  });
});
