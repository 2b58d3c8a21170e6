// A "later step" in another process: the real @azure/identity ManagedIdentityCredential, configured only by the
// IDENTITY_ENDPOINT / IDENTITY_HEADER variables the token service exported. Prints the token it got as JSON.
import { ManagedIdentityCredential } from '@azure/identity';

new ManagedIdentityCredential()
  .getToken(process.argv[2] ?? '499b84ac-1321-427f-aa17-267ca6975798/.default')
  .then((token) => {
    process.stdout.write(JSON.stringify({ token: token.token, expiresOn: token.expiresOnTimestamp }));
  })
  .catch((error: unknown) => {
    process.stderr.write(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  });
