// Client certificates for app registrations: a self-signed maker (openssl CLI,
// like ca.ts) and the parsed form the token endpoint checks assertions against.
import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClientCertificate } from './types';
import { openssl } from './ca';

// Own config, so the result does not depend on the distribution's openssl.cnf.
const CLIENT_CONFIG = `[req]
distinguished_name = dn
x509_extensions = v3_client
[dn]
[v3_client]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
`;

/** A registered certificate as the fake Entra sees it. */
export interface RegisteredCertificate {
  /** base64url of the SHA-1 / SHA-256 of the DER: what `x5t` / `x5t#S256` carry. */
  x5t: string;
  x5tS256: string;
  publicKey: KeyObject;
  /** Milliseconds since the epoch. */
  notBefore: number;
  notAfter: number;
}

/** Parses one PEM certificate; throws on anything else, so bad test setup fails at addApp. */
export function registerCertificate(pem: string): RegisteredCertificate {
  const certificate = new X509Certificate(pem);
  return {
    x5t: createHash('sha1').update(certificate.raw).digest('base64url'),
    x5tS256: createHash('sha256').update(certificate.raw).digest('base64url'),
    publicKey: certificate.publicKey,
    notBefore: Date.parse(certificate.validFrom),
    notAfter: Date.parse(certificate.validTo),
  };
}

/** Escapes the characters -subj treats specially. */
function subjectValue(text: string): string {
  return text.replace(/[\\/+=]/g, (c) => `\\${c}`);
}

/** Self-signed RSA 2048 certificate valid for one day, written into `dir` under a random name. */
export function createClientCertificate(dir: string, commonName: string): ClientCertificate {
  mkdirSync(dir, { recursive: true });
  const base = join(dir, `client-${randomBytes(6).toString('hex')}`);
  writeFileSync(`${base}.cnf`, CLIENT_CONFIG);
  openssl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-sha256',
    '-days',
    '1',
    '-config',
    `${base}.cnf`,
    '-subj',
    `/CN=${subjectValue(commonName)}`,
    '-keyout',
    `${base}.key`,
    '-out',
    `${base}.pem`,
  ]);
  const certPem = readFileSync(`${base}.pem`, 'utf8');
  const keyPem = readFileSync(`${base}.key`, 'utf8');
  const der = new X509Certificate(certPem).raw;
  return {
    certPem,
    keyPem,
    combinedPem: `${certPem.trimEnd()}\n${keyPem}`,
    sha1Thumbprint: createHash('sha1').update(der).digest('hex').toUpperCase(),
    sha256Thumbprint: createHash('sha256').update(der).digest('hex').toUpperCase(),
  };
}
