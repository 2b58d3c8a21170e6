// Throwaway CA + server certificate made with the openssl CLI, so the fake
// cloud can speak real TLS under the production host names.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLOUDS } from '../../tasks/EntraToken/v1/src/connection/clouds';
import type { TestCertificates } from './types';

const OPENSSL = '/usr/bin/openssl';

export const SERVER_NAMES: readonly string[] = [
  'DNS:localhost',
  'IP:127.0.0.1',
  // Every authority host of every cloud the task knows, aliases included (msal-node sends China-cloud requests to
  // login.partner.microsoftonline.cn), so a cloud added to clouds.ts is served by the fake with no edit here.
  ...CLOUDS.flatMap((cloud) => cloud.knownHosts.map((host) => `DNS:${host}`)),
  'DNS:dev.azure.com',
  'DNS:vstoken.dev.azure.com',
  // Azure Resource Manager: az login lists subscriptions there.
  'DNS:management.azure.com',
];

// Own config files, so the result does not depend on the distribution's openssl.cnf.
const CA_CONFIG = `[req]
distinguished_name = dn
prompt = no
x509_extensions = v3_ca
[dn]
CN = EntraToken fake cloud test CA
[v3_ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
`;

const LEAF_REQUEST_CONFIG = `[req]
distinguished_name = dn
prompt = no
[dn]
CN = localhost
`;

const LEAF_EXTENSIONS = `[v3_leaf]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid,issuer
subjectAltName = ${SERVER_NAMES.join(',')}
`;

/** Runs openssl quietly; its stderr is kept for the error if it fails. */
export function openssl(args: string[]): void {
  execFileSync(OPENSSL, args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Writes ca.pem, server.pem and server.key (plus scratch files) into `dir`. */
export function createTestCertificates(dir: string): TestCertificates {
  mkdirSync(dir, { recursive: true });
  const file = (name: string): string => join(dir, name);
  writeFileSync(file('ca.cnf'), CA_CONFIG);
  writeFileSync(file('leaf-req.cnf'), LEAF_REQUEST_CONFIG);
  writeFileSync(file('leaf-ext.cnf'), LEAF_EXTENSIONS);

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
    file('ca.cnf'),
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
  ]);
  openssl([
    'req',
    '-new',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-sha256',
    '-config',
    file('leaf-req.cnf'),
    '-keyout',
    file('server.key'),
    '-out',
    file('server.csr'),
  ]);
  // Random positive serial: TLS stacks may cache by issuer+serial across runs.
  const serial = `0x01${randomBytes(15).toString('hex')}`;
  openssl([
    'x509',
    '-req',
    '-sha256',
    '-days',
    '1',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-set_serial',
    serial,
    '-extfile',
    file('leaf-ext.cnf'),
    '-extensions',
    'v3_leaf',
    '-out',
    file('server.pem'),
  ]);

  return {
    caFile: file('ca.pem'),
    caPem: readFileSync(file('ca.pem'), 'utf8'),
    keyPem: readFileSync(file('server.key'), 'utf8'),
    certPem: readFileSync(file('server.pem'), 'utf8'),
  };
}
