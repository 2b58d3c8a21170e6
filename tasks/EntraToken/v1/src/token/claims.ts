// Decodes the non-secret claims of a JWT so users can compare them with their federated credential.
// Nothing here verifies a signature: the values are for diagnostics only.

export interface TokenClaims {
  readonly issuer?: string;
  readonly subject?: string;
  readonly audience?: string;
  readonly expiresAt?: Date;
}

function stringClaim(payload: object, name: string): string | undefined {
  const value: unknown = Reflect.get(payload, name);
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string').join(', ');
  return undefined;
}

export function decodeClaims(jwt: string): TokenClaims | undefined {
  const segment = jwt.split('.')[1];
  if (segment === undefined) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof payload !== 'object' || payload === null) return undefined;
  const exp: unknown = Reflect.get(payload, 'exp');
  return {
    issuer: stringClaim(payload, 'iss'),
    subject: stringClaim(payload, 'sub'),
    audience: stringClaim(payload, 'aud'),
    expiresAt: typeof exp === 'number' ? new Date(exp * 1000) : undefined,
  };
}
