import assert from 'node:assert/strict';
import { AZURE_DEVOPS_RESOURCE_ID, guidToDotNetBase64Url } from './guid';
import { base64UrlEncode, createSigningKey, decodeJwt, signJwt, verifyJwtSignature } from './jwt';

describe('fake-cloud jwt', () => {
  const key = createSigningKey();
  const other = createSigningKey();

  it('round-trips a signed token through decodeJwt', () => {
    const token = signJwt(key, { iss: 'issuer', exp: 123 });

    const decoded = decodeJwt(token);

    assert.ok(decoded);
    assert.deepEqual(decoded.header, { alg: 'RS256', typ: 'JWT', kid: key.kid });
    assert.deepEqual(decoded.payload, { iss: 'issuer', exp: 123 });
    assert.equal(verifyJwtSignature(decoded, key), true);
  });

  it('rejects a signature from another key', () => {
    const decoded = decodeJwt(signJwt(other, { iss: 'issuer' }));

    assert.ok(decoded);
    assert.equal(verifyJwtSignature(decoded, { ...key, kid: other.kid }), false);
  });

  it('rejects a tampered payload', () => {
    const [header, , signature] = signJwt(key, { sub: 'a' }).split('.');
    const forged = `${header ?? ''}.${base64UrlEncode(JSON.stringify({ sub: 'b' }))}.${signature ?? ''}`;

    const decoded = decodeJwt(forged);

    assert.ok(decoded);
    assert.equal(verifyJwtSignature(decoded, key), false);
  });

  it('returns undefined for things that are not JWTs', () => {
    for (const text of ['', 'a.b', 'a.b.c', 'x.y.z.w', `${base64UrlEncode('[]')}.${base64UrlEncode('{}')}.AA`, '!!.??.**']) {
      assert.equal(decodeJwt(text), undefined, text);
    }
  });
});

describe('fake-cloud guid encoding', () => {
  it('uses .NET Guid.ToByteArray order in base64url', () => {
    // Well-known value: Azure DevOps' app id as it appears in Entra-issued pipeline subjects.
    assert.equal(guidToDotNetBase64Url(AZURE_DEVOPS_RESOURCE_ID), 'rISbSSETf0KqFyZ8ppdXmA');
  });

  it('refuses non-GUIDs', () => {
    assert.throws(() => guidToDotNetBase64Url('contoso.onmicrosoft.com'), /Not a GUID/);
  });
});
