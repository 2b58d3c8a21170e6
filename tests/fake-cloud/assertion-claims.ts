// Claim checks shared by federated and certificate client assertions.
import { invalidClient } from './entra-errors';
import type { EntraErrorSpec } from './entra-errors';
import { nowSeconds, numberClaim } from './jwt';
import type { JsonObject } from './jwt';

export function audiences(payload: JsonObject): string[] {
  const aud = payload['aud'];
  if (typeof aud === 'string') return [aud];
  return Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : [];
}

function isoSeconds(seconds: number | undefined): string {
  return seconds === undefined ? 'unknown' : new Date(seconds * 1000).toISOString();
}

/**
 * AADSTS700024 unless exp is in the future and nbf (when present) is not later
 * than now + nbfSkewSeconds. exp gets no skew, so expiry tests are deterministic.
 */
export function checkLifetime(payload: JsonObject, nbfSkewSeconds = 0): EntraErrorSpec | undefined {
  const now = nowSeconds();
  const exp = numberClaim(payload, 'exp');
  const nbf = numberClaim(payload, 'nbf');
  if (exp === undefined || exp <= now || (nbf !== undefined && nbf > now + nbfSkewSeconds)) {
    return invalidClient(
      400,
      700024,
      `Client assertion is not within its valid time range. Current time: ${isoSeconds(now)}, assertion valid from ${isoSeconds(nbf)}, expiry time of assertion ${isoSeconds(exp)}. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .`,
    );
  }
  return undefined;
}
