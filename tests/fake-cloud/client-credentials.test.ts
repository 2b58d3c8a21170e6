import assert from 'node:assert/strict';
import { createPrivateKey, randomBytes, randomUUID, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createClientCertificate, startFakeCloud } from './index';
import type { ClientCertificate, FakeCloud } from './index';
import { certificateAssertion } from './test-assertions';
import type { CertificateAssertionOptions } from './test-assertions';
import { aadstsCode, errorDescription, jsonBody, requestToken, stringField } from './test-helpers';
import type { HttpResult } from './test-helpers';
import { testTempDir } from '../temp';

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

describe('fake Entra app credentials on the wire', () => {
  const dir = testTempDir('client-credentials-test-');
  let cloud: FakeCloud;
  let ca: string;
  let registered: ClientCertificate;
  let stranger: ClientCertificate;
  const tenantId = randomUUID();
  const clientId = randomUUID();
  const secret = randomBytes(24).toString('base64url');
  const expiredSecret = randomBytes(24).toString('base64url');

  before(async () => {
    registered = createClientCertificate(dir, 'registered app cert');
    stranger = createClientCertificate(dir, 'stranger');
    cloud = await startFakeCloud({ dir });
    ca = readFileSync(cloud.caFile, 'utf8');
    cloud.addApp({
      tenantId,
      clientId,
      federatedCredentials: [],
      clientSecrets: [secret],
      expiredClientSecrets: [expiredSecret],
      certificates: [registered.certPem],
    });
  });

  after(async () => {
    await cloud.close();
  });

  function appIdOf(result: HttpResult): string | undefined {
    assert.equal(result.status, 200, result.body);
    return cloud.verifyAccessToken(stringField(jsonBody(result), 'access_token'))?.appid;
  }

  describe('client secrets', () => {
    it('issues a token for a valid client_secret in the body', async () => {
      const result = await requestToken(cloud, ca, tenantId, { client_id: clientId, client_secret: secret });

      assert.equal(appIdOf(result), clientId);
    });

    it('issues a token for client_secret_basic (form-urlencoded id and secret)', async () => {
      const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64');

      const result = await requestToken(cloud, ca, tenantId, {}, { Authorization: `Basic ${basic}` });

      assert.equal(appIdOf(result), clientId);
    });

    it('refuses an unknown secret (401 AADSTS7000215) and an expired one (401 AADSTS7000222)', async () => {
      const wrong = await requestToken(cloud, ca, tenantId, { client_id: clientId, client_secret: 'not-the-secret' });
      const expired = await requestToken(cloud, ca, tenantId, { client_id: clientId, client_secret: expiredSecret });

      assert.deepEqual([wrong.status, jsonBody(wrong)['error'], aadstsCode(wrong)], [401, 'invalid_client', 7000215]);
      assert.match(errorDescription(wrong), new RegExp(`not the client secret ID, for a secret added to app '${clientId}'\\.`));
      assert.deepEqual([expired.status, aadstsCode(expired)], [401, 7000222]);
      assert.match(errorDescription(expired), new RegExp(`The provided client secret keys for app '${clientId}' are expired\\.`));
    });

    it('refuses a request carrying both a secret and an assertion (AADSTS9002313)', async () => {
      const assertion = certificateAssertion(registered, clientId, `${cloud.url}/${tenantId}/oauth2/v2.0/token`);

      const result = await requestToken(cloud, ca, tenantId, {
        client_id: clientId,
        client_secret: secret,
        client_assertion_type: JWT_BEARER,
        client_assertion: assertion,
      });

      assert.deepEqual([result.status, aadstsCode(result)], [400, 9002313]);
    });
  });

  describe('certificate assertions', () => {
    const tokenEndpoint = (): string => `${cloud.url}/${tenantId}/oauth2/v2.0/token`;

    function present(certificate: ClientCertificate, options: CertificateAssertionOptions = {}): Promise<HttpResult> {
      const assertion = certificateAssertion(certificate, clientId, tokenEndpoint(), options);
      return requestToken(cloud, ca, tenantId, { client_id: clientId, client_assertion_type: JWT_BEARER, client_assertion: assertion });
    }

    it('accepts PS256 + x5t#S256 and RS256 + x5t signed by a registered certificate', async () => {
      const pss = await present(registered, { alg: 'PS256' });
      const pkcs1 = await present(registered, { alg: 'RS256' });

      assert.equal(appIdOf(pss), clientId);
      assert.equal(appIdOf(pkcs1), clientId);
    });

    it('tolerates an nbf a moment ahead, as msal-common rounds its clock to the nearest second', async () => {
      const result = await present(registered, { claims: { nbf: Math.floor(Date.now() / 1000) + 1 } });

      assert.equal(appIdOf(result), clientId);
    });

    it('refuses a certificate the app does not have (401 AADSTS700027, key not found)', async () => {
      const result = await present(stranger);

      assert.deepEqual([result.status, jsonBody(result)['error'], aadstsCode(result)], [401, 'invalid_client', 700027]);
      assert.match(
        errorDescription(result),
        new RegExp(
          `^AADSTS700027: Client assertion failed signature validation\\. \\[Reason - The key was not found\\., Thumbprint of key used by client: '${stranger.sha256Thumbprint}'`,
        ),
      );
    });

    it("refuses a registered thumbprint over another key's signature (AADSTS700027)", async () => {
      const x5t = Buffer.from(registered.sha256Thumbprint, 'hex').toString('base64url');

      const result = await present(stranger, { header: { 'x5t#S256': x5t } });

      assert.deepEqual([result.status, aadstsCode(result)], [401, 700027]);
    });

    it('refuses an x5c chain whose leaf is not the thumbprinted certificate (AADSTS700027)', async () => {
      const strangerDer = stranger.certPem.replace(/-----[A-Z ]+-----|\s/g, '');

      const result = await present(registered, { header: { x5c: [strangerDer] } });

      assert.equal(aadstsCode(result), 700027);
    });

    it('refuses a wrong audience (AADSTS700023), a foreign subject (AADSTS700021) and an expired assertion (AADSTS700024)', async () => {
      const audience = await present(registered, { claims: { aud: `${cloud.url}/${randomUUID()}/oauth2/v2.0/token` } });
      const subject = await present(registered, { claims: { sub: randomUUID() } });
      const expired = await present(registered, { claims: { exp: Math.floor(Date.now() / 1000) - 1 } });

      assert.deepEqual([audience.status, aadstsCode(audience)], [401, 700023]);
      assert.deepEqual([subject.status, aadstsCode(subject)], [401, 700021]);
      assert.deepEqual([expired.status, aadstsCode(expired)], [400, 700024]);
    });
  });

  describe('createClientCertificate', () => {
    it('makes a self-signed RSA 2048 certificate with upper-case hex thumbprints of its DER', () => {
      const certificate = new X509Certificate(registered.certPem);

      assert.equal(certificate.subject, 'CN=registered app cert');
      assert.ok(certificate.verify(certificate.publicKey));
      assert.equal(certificate.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
      assert.equal(registered.sha1Thumbprint, certificate.fingerprint.replace(/:/g, ''));
      assert.equal(registered.sha256Thumbprint, certificate.fingerprint256.replace(/:/g, ''));
      assert.ok(certificate.checkPrivateKey(createPrivateKey(registered.combinedPem)));
      assert.ok(new Date(certificate.validTo).getTime() - Date.now() <= 86_400_000);
    });
  });
});
