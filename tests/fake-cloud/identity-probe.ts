// Child-process probe: runs a real @azure/identity credential (msal-node
// inside) against the fake cloud. A separate process is needed because
// NODE_EXTRA_CA_CERTS, proxy settings and IDENTITY_ENDPOINT are read at start-up.
// PROBE_CREDENTIAL picks the credential: assertion (default), secret, certificate, managed-identity.
import { ClientAssertionCredential, ClientCertificateCredential, ClientSecretCredential, ManagedIdentityCredential } from '@azure/identity';
import type { TokenCredential } from '@azure/identity';

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set`);
  return value;
}

function optional(name: string): string | undefined {
  const value = process.env[name];
  return value === '' ? undefined : value;
}

function createCredential(): TokenCredential {
  const authorityHost = optional('PROBE_AUTHORITY_HOST');
  const options = {
    ...(authorityHost === undefined ? {} : { authorityHost, disableInstanceDiscovery: true }),
    retryOptions: { maxRetries: 0 },
  };
  const kind = optional('PROBE_CREDENTIAL') ?? 'assertion';
  switch (kind) {
    case 'assertion':
      return new ClientAssertionCredential(
        required('PROBE_TENANT_ID'),
        required('PROBE_CLIENT_ID'),
        () => Promise.resolve(required('PROBE_ASSERTION')),
        options,
      );
    case 'secret':
      return new ClientSecretCredential(required('PROBE_TENANT_ID'), required('PROBE_CLIENT_ID'), required('PROBE_CLIENT_SECRET'), options);
    case 'certificate':
      return new ClientCertificateCredential(
        required('PROBE_TENANT_ID'),
        required('PROBE_CLIENT_ID'),
        { certificate: required('PROBE_CERTIFICATE') },
        { ...options, sendCertificateChain: optional('PROBE_SEND_CERTIFICATE_CHAIN') === 'true' },
      );
    case 'managed-identity': {
      // No PROBE_CLIENT_ID: the "system-assigned" (default) identity.
      const clientId = optional('PROBE_CLIENT_ID');
      return new ManagedIdentityCredential({ ...(clientId === undefined ? {} : { clientId }), retryOptions: { maxRetries: 0 } });
    }
    default:
      throw new Error(`Unknown PROBE_CREDENTIAL '${kind}'`);
  }
}

async function main(): Promise<void> {
  const token = await createCredential().getToken(required('PROBE_SCOPE'));
  if (token === null) throw new Error('The credential returned no token');
  process.stdout.write(JSON.stringify({ token: token.token, expiresOnTimestamp: token.expiresOnTimestamp }));
}

main().catch((error: unknown) => {
  process.stderr.write(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
