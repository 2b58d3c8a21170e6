// App-owned client credentials: client secrets and certificate-signed client
// assertions (private_key_jwt, as msal-node builds them from a certificate).
import { constants, createHash, verify } from 'node:crypto';
import { audiences, checkLifetime } from './assertion-claims';
import type { RegisteredCertificate } from './client-certificate';
import { invalidClient } from './entra-errors';
import type { EntraErrorSpec } from './entra-errors';
import { stringClaim } from './jwt';
import type { DecodedJwt } from './jwt';
import type { RegisteredApp } from './state';

const NBF_SKEW_SECONDS = 300;
const CERTIFICATE_DOCS = 'Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .';

export function checkClientSecret(app: RegisteredApp, secret: string): EntraErrorSpec | undefined {
  if (app.clientSecrets.includes(secret)) return undefined;
  if (app.expiredClientSecrets.includes(secret)) {
    return invalidClient(
      401,
      7000222,
      `The provided client secret keys for app '${app.clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`,
    );
  }
  return invalidClient(
    401,
    7000215,
    `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`,
  );
}

/** Certificate assertions are self-issued: iss (and sub) is the client id; federated ones come from an OIDC issuer. */
export function isCertificateAssertion(jwt: DecodedJwt, app: RegisteredApp): boolean {
  return stringClaim(jwt.payload, 'iss')?.toLowerCase() === app.clientId.toLowerCase();
}

function signatureFailure(reason?: string): EntraErrorSpec {
  return invalidClient(401, 700027, `Client assertion failed signature validation.${reason === undefined ? '' : ` [Reason - ${reason}]`}`);
}

function thumbprintHex(x5t: string): string {
  return Buffer.from(x5t, 'base64url').toString('hex').toUpperCase();
}

/** The registered certificate every thumbprint header present names (msal-node 5 sends only x5t#S256). */
function findCertificate(jwt: DecodedJwt, app: RegisteredApp): RegisteredCertificate | EntraErrorSpec {
  const sha256 = jwt.header['x5t#S256'];
  const sha1 = jwt.header['x5t'];
  if ((sha256 !== undefined && typeof sha256 !== 'string') || (sha1 !== undefined && typeof sha1 !== 'string')) {
    return signatureFailure('The thumbprint header is not a string.');
  }
  if (sha256 === undefined && sha1 === undefined) {
    return signatureFailure('The assertion header carries neither x5t nor x5t#S256.');
  }
  const found = app.registeredCertificates.find(
    (c) => (sha256 === undefined || c.x5tS256 === sha256) && (sha1 === undefined || c.x5t === sha1),
  );
  if (found !== undefined) {
    // sendCertificateChain adds x5c; its leaf must be the certificate the thumbprint names.
    const x5c = jwt.header['x5c'];
    const leaf: unknown = Array.isArray(x5c) ? x5c[0] : undefined;
    if (x5c === undefined) return found;
    if (typeof leaf !== 'string' || createHash('sha256').update(Buffer.from(leaf, 'base64')).digest('base64url') !== found.x5tS256) {
      return signatureFailure('The x5c leaf certificate does not match the thumbprint.');
    }
    return found;
  }
  const presented = thumbprintHex(sha256 ?? sha1 ?? '');
  return signatureFailure(
    `The key was not found., Thumbprint of key used by client: '${presented}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${app.clientId}'.`,
  );
}

/** RS256 = RSASSA-PKCS1-v1_5, PS256 = RSASSA-PSS with salt length 32 (the digest size, as jsonwebtoken signs). */
function signatureValid(jwt: DecodedJwt, certificate: RegisteredCertificate): boolean {
  const data = Buffer.from(jwt.signingInput);
  if (jwt.header.alg === 'RS256') {
    return verify('sha256', data, certificate.publicKey, jwt.signature);
  }
  const pss = { key: certificate.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
  return verify('sha256', data, pss, jwt.signature);
}

/** Checks a certificate assertion: key by thumbprint, signature, iss = sub = client id, lifetime, aud = token endpoint. */
export function checkCertificateAssertion(jwt: DecodedJwt, app: RegisteredApp, tokenEndpoint: string): EntraErrorSpec | undefined {
  const certificate = findCertificate(jwt, app);
  if (!('publicKey' in certificate)) return certificate;
  const now = Date.now();
  if (certificate.notAfter <= now || certificate.notBefore > now) {
    return signatureFailure('The key used is expired.');
  }
  if (jwt.header.alg !== 'RS256' && jwt.header.alg !== 'PS256') {
    return signatureFailure(`The signing algorithm '${jwt.header.alg}' is not supported.`);
  }
  if (!signatureValid(jwt, certificate)) return signatureFailure();
  if (stringClaim(jwt.payload, 'sub')?.toLowerCase() !== app.clientId.toLowerCase()) {
    return invalidClient(401, 700021, `Client assertion application identifier doesn't match 'client_id' parameter. ${CERTIFICATE_DOCS}`);
  }
  // msal-common rounds "now" to the nearest second, so nbf can be up to 0.5 s ahead: allow Entra's 5 minutes.
  const lifetime = checkLifetime(jwt.payload, NBF_SKEW_SECONDS);
  if (lifetime !== undefined) return lifetime;
  if (!audiences(jwt.payload).some((a) => a.toLowerCase() === tokenEndpoint.toLowerCase())) {
    return invalidClient(401, 700023, `Client assertion audience claim does not match Realm issuer. ${CERTIFICATE_DOCS}`);
  }
  return undefined;
}
