// Child-process probe: runs the real @azure/identity ClientAssertionCredential
// (msal-node inside) against the fake cloud. A separate process is needed
// because NODE_EXTRA_CA_CERTS and proxy settings are read at start-up.
import { ClientAssertionCredential } from '@azure/identity';

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set`);
  return value;
}

async function main(): Promise<void> {
  const authorityHost = process.env['PROBE_AUTHORITY_HOST'];
  const credential = new ClientAssertionCredential(
    required('PROBE_TENANT_ID'),
    required('PROBE_CLIENT_ID'),
    () => Promise.resolve(required('PROBE_ASSERTION')),
    {
      ...(authorityHost === undefined ? {} : { authorityHost, disableInstanceDiscovery: true }),
      retryOptions: { maxRetries: 0 },
    },
  );
  const token = await credential.getToken(required('PROBE_SCOPE'));
  process.stdout.write(JSON.stringify({ token: token.token, expiresOnTimestamp: token.expiresOnTimestamp }));
}

main().catch((error: unknown) => {
  process.stderr.write(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
