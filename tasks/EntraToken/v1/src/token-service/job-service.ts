// Starts the token service for this job's federated connection, with what it needs to serve the workload-identity
// contract: the assertion the task already holds (the token file's first content) and where that file goes.
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { ServiceConnection } from '../connection/connection';
import type { TaskInputs } from '../inputs';
import type { Pipeline } from '../platform/port';
import { GUID } from '../token/scope';
import { tokenFileName } from './assertion-file';
import type { RunningService, ServiceLauncher } from './launch';
import type { ServiceIdentity } from './workload-identity';

export interface FederatedRun {
  readonly requestUri: string;
  readonly jobToken: string;
  readonly assertion: string;
}

export interface JobService {
  readonly service: RunningService;
  readonly identity: ServiceIdentity;
}

/** Terraform's azurerm provider needs a subscription; an ARM connection names one. */
function subscriptionOf(pipeline: Pipeline, connection: ServiceConnection): string | undefined {
  if (connection.kind !== 'azureRM') return undefined;
  const value = pipeline.getEndpointData(connection.id, 'subscriptionId')?.trim();
  return value !== undefined && GUID.test(value) ? value : undefined;
}

export async function startJobService(
  pipeline: Pipeline,
  launch: ServiceLauncher,
  inputs: TaskInputs,
  connection: ServiceConnection,
  run: FederatedRun,
): Promise<JobService> {
  const { tenantId, clientId, authorityHost, disableInstanceDiscovery } = connection;
  const tokenFile = join(pipeline.getVariable('Agent.TempDirectory') ?? tmpdir(), tokenFileName());
  const service = await launch({
    requestUri: run.requestUri,
    jobToken: run.jobToken,
    connectionId: connection.id,
    tenantId,
    clientId,
    authorityHost,
    disableInstanceDiscovery,
    allowedScopes: inputs.tokenService.scopes,
    federatedTokenFile: tokenFile,
    initialAssertion: run.assertion,
    registries: inputs.tools.containerRegistries,
  });
  const terraform = inputs.tokenService.terraformVariables ? { subscriptionId: subscriptionOf(pipeline, connection) } : undefined;
  return { service, identity: { clientId, tenantId, authorityHost, tokenFile, ...(terraform === undefined ? {} : { terraform }) } };
}
