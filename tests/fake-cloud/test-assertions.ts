// Hand-built certificate client assertions for wire-level tests, so each claim
// and header can be varied (msal-node always builds the same shape).
import { constants, randomUUID, sign } from 'node:crypto';
import { base64UrlEncode, nowSeconds } from './jwt';
import type { JsonObject } from './jwt';
import type { ClientCertificate } from './types';

export interface CertificateAssertionOptions {
  /** Default PS256 with x5t#S256, as msal-node 5 sends; RS256 pairs with the SHA-1 x5t. */
  alg?: 'RS256' | 'PS256';
  /** Replaces or adds header fields. */
  header?: JsonObject;
  /** Replaces or adds claims; an undefined value removes the claim. */
  claims?: Record<string, unknown>;
}

function hexToBase64Url(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64url');
}

export function certificateAssertion(
  certificate: ClientCertificate,
  clientId: string,
  audience: string,
  options: CertificateAssertionOptions = {},
): string {
  const alg = options.alg ?? 'PS256';
  const thumbprint =
    alg === 'PS256' ? { 'x5t#S256': hexToBase64Url(certificate.sha256Thumbprint) } : { x5t: hexToBase64Url(certificate.sha1Thumbprint) };
  const now = nowSeconds();
  const header = { alg, typ: 'JWT', ...thumbprint, ...options.header };
  const claims = { aud: audience, iss: clientId, sub: clientId, jti: randomUUID(), nbf: now, iat: now, exp: now + 600, ...options.claims };
  const signingInput = `${base64UrlEncode(JSON.stringify(header))}.${base64UrlEncode(JSON.stringify(claims))}`;
  const key = alg === 'PS256' ? { key: certificate.keyPem, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : certificate.keyPem;
  return `${signingInput}.${base64UrlEncode(sign('sha256', Buffer.from(signingInput), key))}`;
}
