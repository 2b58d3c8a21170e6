// Tells later steps where the token service is. The endpoint and secret must reach their environment, so they
// are ordinary variables; the secret is registered first, so the agent masks it in every log.
import type { Pipeline } from '../platform/port';
import { messages } from '../common/messages';
import type { SecretRegistry } from '../common/secrets';
import type { RunningService } from './launch';
import { managedIdentityVariables, terraformVariables, workloadIdentityVariables, type ServiceIdentity } from './workload-identity';

export const SERVICE_URL_VARIABLE = 'ENTRATOKEN_SERVICE_URL';
export const SERVICE_SECRET_VARIABLE = 'ENTRATOKEN_SERVICE_SECRET';
export const SERVICE_TASK_VARIABLE = 'EntraToken.Service';

/**
 * One word for sh, which runs git's `!` helpers on every OS (Git for Windows brings its own): single quotes keep
 * spaces, `$`, backticks and double quotes literal, `'\''` closes, escapes and reopens for a single quote.
 * On Windows the path gets forward slashes, which sh leaves alone and Windows accepts (`\\server\share` becomes
 * `//server/share`).
 */
export function shellWord(path: string, platform: NodeJS.Platform = process.platform): string {
  const portable = platform === 'win32' ? path.replace(/\\/g, '/') : path;
  return `'${portable.replace(/'/g, `'\\''`)}'`;
}

/** git runs this (with " get" appended) to ask the service for a fresh token. */
export function gitCredentialHelper(nodePath: string, bundlePath: string, platform: NodeJS.Platform = process.platform): string {
  return `!${shellWord(nodePath, platform)} ${shellWord(bundlePath, platform)} --git-credential`;
}

/** The service's record for the post-job step: where it listens, its process, its stop secret and its token file. */
export function serviceRecord(base: string, service: RunningService, tokenFile: string): string {
  return JSON.stringify({ url: base, pid: service.pid, control: service.controlSecret, tokenFile });
}

export function exportService(
  pipeline: Pipeline,
  secrets: SecretRegistry,
  service: RunningService,
  scopes: readonly string[],
  identity: ServiceIdentity,
): void {
  secrets.register(service.secret);
  const base = `http://127.0.0.1:${String(service.port)}`;
  const plain = { secret: false, isOutput: false };
  const variables = [
    ...managedIdentityVariables(base, service.secret),
    { name: SERVICE_URL_VARIABLE, value: `${base}/token` },
    { name: SERVICE_SECRET_VARIABLE, value: service.secret },
    ...workloadIdentityVariables(identity),
    ...terraformVariables(identity),
  ];
  for (const { name, value } of variables) pipeline.setVariable(name, value, plain);
  // Only the post-job step reads it: it stops the service with the control secret, which later steps never see.
  // Secret, so the agent masks it and task-lib's debug line shows asterisks.
  secrets.register(service.controlSecret);
  pipeline.setTaskVariable(SERVICE_TASK_VARIABLE, serviceRecord(base, service, identity.tokenFile), true);
  pipeline.info(messages.serviceStarted(base, scopes.join(', ')));
  pipeline.info(messages.workloadIdentityExported(identity.tokenFile));
  if (identity.terraform !== undefined)
    pipeline.info(
      messages.terraformExported(
        terraformVariables(identity)
          .map((variable) => variable.name)
          .join(', '),
      ),
    );
}
