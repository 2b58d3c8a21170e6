// A "later step" in another process: a real @azure/identity credential configured only by the environment the
// task exported. Usage: mi-probe.js [scope] [managed|workload|default]. Prints the token it got as JSON.
import { DefaultAzureCredential, ManagedIdentityCredential, WorkloadIdentityCredential, type TokenCredential } from '@azure/identity';

function credential(kind: string | undefined): TokenCredential {
  if (kind === 'workload') return new WorkloadIdentityCredential();
  if (kind === 'default') return new DefaultAzureCredential();
  return new ManagedIdentityCredential();
}

credential(process.argv[3])
  .getToken(process.argv[2] ?? '499b84ac-1321-427f-aa17-267ca6975798/.default')
  .then((token) => {
    if (token === null) throw new Error('the credential returned no token');
    process.stdout.write(JSON.stringify({ token: token.token, expiresOn: token.expiresOnTimestamp }));
  })
  .catch((error: unknown) => {
    process.stderr.write(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  });
