// Access tokens issued by the fake Entra (v1.0 app-only shape) and their check.
import { randomBytes } from 'node:crypto';
import { decodeJwt, nowSeconds, numberClaim, signJwt, stringClaim, verifyJwtSignature } from './jwt';
import type { FakeCloudState, Principal } from './state';
import type { AccessTokenClaims } from './types';

export function mintAccessToken(state: FakeCloudState, app: Principal, audience: string): string {
  const now = nowSeconds();
  const issuer = `https://sts.windows.net/${app.tenantId}/`;
  const token = signJwt(state.entraKey, {
    aud: audience,
    iss: issuer,
    iat: now,
    nbf: now,
    exp: now + state.accessTokenLifetimeSeconds,
    appid: app.clientId,
    appidacr: '2',
    azp: app.clientId,
    idp: issuer,
    idtyp: 'app',
    oid: app.objectId,
    sub: app.objectId,
    tid: app.tenantId,
    uti: randomBytes(16).toString('base64url'),
    ver: '1.0',
  });
  state.issuedAccessTokens.push(token);
  return token;
}

/** Claims of a token signed by the fake Entra key and not yet expired; otherwise undefined. */
export function verifyAccessToken(state: FakeCloudState, token: string): AccessTokenClaims | undefined {
  const jwt = decodeJwt(token);
  if (jwt === undefined || !verifyJwtSignature(jwt, state.entraKey)) {
    return undefined;
  }
  const { payload } = jwt;
  const claims = {
    iss: stringClaim(payload, 'iss'),
    aud: stringClaim(payload, 'aud'),
    tid: stringClaim(payload, 'tid'),
    appid: stringClaim(payload, 'appid'),
    oid: stringClaim(payload, 'oid'),
    exp: numberClaim(payload, 'exp'),
    iat: numberClaim(payload, 'iat'),
  };
  const { iss, aud, tid, appid, oid, exp, iat } = claims;
  if (
    iss === undefined ||
    aud === undefined ||
    tid === undefined ||
    appid === undefined ||
    oid === undefined ||
    exp === undefined ||
    iat === undefined ||
    exp <= nowSeconds()
  ) {
    return undefined;
  }
  return { iss, aud, tid, appid, oid, exp, iat };
}
