import assert from 'node:assert/strict';
import { decodeClaims } from '../../../../../tasks/EntraToken/v1/src/token/claims';
import { unsignedJwt } from '../fake-pipeline';

describe('decodeClaims', () => {
  it('reads issuer, subject, audience (joined when a list) and expiry', () => {
    const claims = decodeClaims(unsignedJwt({ iss: 'i', sub: 's', aud: ['a', 'b'], exp: 1_700_000_000 }));

    assert.deepEqual(claims, { issuer: 'i', subject: 's', audience: 'a, b', expiresAt: new Date(1_700_000_000_000), issuedAt: undefined });
  });

  it("reads when the token was issued, which times the federated token file's rewrites", () => {
    const claims = decodeClaims(unsignedJwt({ iat: 1_699_999_700, exp: 1_700_000_000 }));

    assert.equal(claims?.issuedAt?.getTime(), 1_699_999_700_000);
  });

  it('returns undefined for something that is not a JWT', () => {
    assert.equal(decodeClaims('not-a-token'), undefined);
    assert.equal(decodeClaims('a.!!!.c'), undefined);
  });
});
