// Tells later steps where the token service is. The endpoint and secret must reach their environment, so they
// are ordinary variables; the secret is registered first, so the agent masks it in every log.
import type { Pipeline } from '../platform/port';
import { messages } from '../common/messages';
import type { SecretRegistry } from '../common/secrets';
import type { RunningService } from './launch';

export const SERVICE_URL_VARIABLE = 'ENTRATOKEN_SERVICE_URL';
export const SERVICE_SECRET_VARIABLE = 'ENTRATOKEN_SERVICE_SECRET';
export const SERVICE_TASK_VARIABLE = 'EntraToken.Service';

/** git runs this (with " get" appended) to ask the service for a fresh token. */
export function gitCredentialHelper(nodePath: string, bundlePath: string): string {
  return `!"${nodePath}" "${bundlePath}" --git-credential`;
}

export function exportService(pipeline: Pipeline, secrets: SecretRegistry, service: RunningService, scopes: readonly string[]): void {
  secrets.register(service.secret);
  const base = `http://127.0.0.1:${String(service.port)}`;
  const plain = { secret: false, isOutput: false };
  pipeline.setVariable('IDENTITY_ENDPOINT', `${base}/msi/token`, plain);
  pipeline.setVariable('IDENTITY_HEADER', service.secret, plain);
  pipeline.setVariable(SERVICE_URL_VARIABLE, `${base}/token`, plain);
  pipeline.setVariable(SERVICE_SECRET_VARIABLE, service.secret, plain);
  // The post-job step stops the process and prints its issuance log; the secret is not needed for that.
  pipeline.setTaskVariable(SERVICE_TASK_VARIABLE, JSON.stringify({ health: `${base}/health`, pid: service.pid, logPath: service.logPath }));
  pipeline.info(messages.serviceStarted(base, scopes.join(', ')));
}
