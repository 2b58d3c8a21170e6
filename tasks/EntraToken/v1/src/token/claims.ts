// Decodes the non-secret claims of a JWT so users can compare them with their federated credential.
// Nothing here verifies a signature: the values are for diagnostics only.
import { field, numberField, parseJson, stringArray } from '../common/json';

export interface TokenClaims {
  readonly issuer?: string;
  readonly subject?: string;
  readonly audience?: string;
  readonly expiresAt?: Date;
  readonly issuedAt?: Date;
}

function stringClaim(payload: unknown, name: string): string | undefined {
  const value = field(payload, name);
  return typeof value === 'string' ? value : stringArray(value)?.join(', ');
}

export function decodeClaims(jwt: string): TokenClaims | undefined {
  const segment = jwt.split('.')[1];
  if (segment === undefined) return undefined;
  const payload = parseJson(Buffer.from(segment, 'base64url').toString('utf8'));
  if (typeof payload !== 'object' || payload === null) return undefined;
  const exp = numberField(payload, 'exp');
  const iat = numberField(payload, 'iat');
  return {
    issuer: stringClaim(payload, 'iss'),
    subject: stringClaim(payload, 'sub'),
    audience: stringClaim(payload, 'aud'),
    expiresAt: exp === undefined ? undefined : new Date(exp * 1000),
    issuedAt: iat === undefined ? undefined : new Date(iat * 1000),
  };
}
