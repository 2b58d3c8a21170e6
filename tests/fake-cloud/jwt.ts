// RS256 JWT minting and checking with node:crypto only. Tokens are minted at
// run time; no literal token ever lives in the repository.
import { createSign, createVerify, generateKeyPair, generateKeyPairSync, randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export type JsonObject = Record<string, unknown>;

export interface JwtHeader {
  alg: string;
  typ?: string;
  kid?: string;
}

export interface DecodedJwt {
  /** Typed fields plus anything else the header carried (x5t, x5t#S256, x5c...). */
  header: JsonObject & JwtHeader;
  payload: JsonObject;
  /** `<header>.<payload>` exactly as received, the bytes the signature covers. */
  signingInput: string;
  signature: Buffer;
}

export function base64UrlEncode(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

export function base64UrlDecode(text: string): Buffer | undefined {
  // Buffer.from silently skips junk; insist on the alphabet so garbage is rejected.
  return /^[A-Za-z0-9_-]*$/.test(text) ? Buffer.from(text, 'base64url') : undefined;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseJsonObject(text: string): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isJsonObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isJwtHeader(value: JsonObject): value is JsonObject & JwtHeader {
  return (
    typeof value['alg'] === 'string' &&
    (value['typ'] === undefined || typeof value['typ'] === 'string') &&
    (value['kid'] === undefined || typeof value['kid'] === 'string')
  );
}

export function stringClaim(payload: JsonObject, name: string): string | undefined {
  const value = payload[name];
  return typeof value === 'string' ? value : undefined;
}

export function numberClaim(payload: JsonObject, name: string): number | undefined {
  const value = payload[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function createSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid: randomBytes(16).toString('hex'), privateKey, publicKey };
}

/** Same as createSigningKey, off the main thread (overlaps with openssl start-up work). */
export function createSigningKeyAsync(): Promise<SigningKey> {
  return new Promise((resolve, reject) => {
    generateKeyPair('rsa', { modulusLength: 2048 }, (error, publicKey, privateKey) => {
      if (error !== null) reject(error);
      else resolve({ kid: randomBytes(16).toString('hex'), privateKey, publicKey });
    });
  });
}

export function signJwt(key: SigningKey, payload: JsonObject): string {
  const header: JwtHeader = { alg: 'RS256', typ: 'JWT', kid: key.kid };
  const signingInput = `${base64UrlEncode(JSON.stringify(header))}.${base64UrlEncode(JSON.stringify(payload))}`;
  const signature = createSign('RSA-SHA256').update(signingInput).sign(key.privateKey);
  return `${signingInput}.${base64UrlEncode(signature)}`;
}

/** Parses without verifying; undefined for anything that is not a three-part JSON JWT. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  const [headerPart, payloadPart, signaturePart] = parts;
  if (parts.length !== 3 || headerPart === undefined || payloadPart === undefined || signaturePart === undefined) {
    return undefined;
  }
  const headerBytes = base64UrlDecode(headerPart);
  const payloadBytes = base64UrlDecode(payloadPart);
  const signature = base64UrlDecode(signaturePart);
  if (headerBytes === undefined || payloadBytes === undefined || signature === undefined) {
    return undefined;
  }
  const header = parseJsonObject(headerBytes.toString('utf8'));
  const payload = parseJsonObject(payloadBytes.toString('utf8'));
  if (header === undefined || payload === undefined || !isJwtHeader(header)) {
    return undefined;
  }
  return { header, payload, signingInput: `${headerPart}.${payloadPart}`, signature };
}

/** True when the token is RS256 and signed by `key` (kid must match when present). */
export function verifyJwtSignature(jwt: DecodedJwt, key: SigningKey): boolean {
  if (jwt.header.alg !== 'RS256' || (jwt.header.kid !== undefined && jwt.header.kid !== key.kid)) {
    return false;
  }
  return createVerify('RSA-SHA256').update(jwt.signingInput).verify(key.publicKey, jwt.signature);
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
