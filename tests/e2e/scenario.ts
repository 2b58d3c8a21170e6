// A fake cloud with one Azure DevOps connection (legacy vstoken issuer) and one ARM connection (Entra issuer),
// each backed by an app whose federated credential matches, plus helpers to run the task against them.
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { testTempDir } from '../temp';
import type { AppRegistration, FakeCloud, ServiceConnectionRecord } from '../fake-cloud';
import { agentEnvironment, type EndpointSpec } from './agent';

export interface Identity {
  readonly connection: ServiceConnectionRecord;
  readonly app: AppRegistration & { readonly objectId: string; readonly displayName: string };
}

export interface Scenario {
  readonly tenantId: string;
  readonly devops: Identity;
  readonly arm: Identity;
}

function identity(cloud: FakeCloud, tenantId: string, name: string, issuerFormat: 'vstoken' | 'entra'): Identity {
  const connection: ServiceConnectionRecord = { id: randomUUID(), name, projectName: 'Platform', tenantId, issuerFormat };
  cloud.addConnection(connection);
  const app = {
    tenantId,
    clientId: randomUUID(),
    objectId: randomUUID(),
    displayName: `${name} principal`,
    federatedCredentials: [{ issuer: cloud.issuerFor(connection), subject: cloud.subjectFor(connection) }],
  };
  cloud.addApp(app);
  return { connection, app };
}

export function createScenario(cloud: FakeCloud): Scenario {
  const tenantId = randomUUID();
  return {
    tenantId,
    devops: identity(cloud, tenantId, 'ado-wif', 'vstoken'),
    arm: identity(cloud, tenantId, 'arm-wif', 'entra'),
  };
}

export function endpointFor(identity: Identity, data: Record<string, string> = {}): EndpointSpec {
  return {
    id: identity.connection.id,
    url: 'https://management.azure.com/',
    scheme: 'WorkloadIdentityFederation',
    parameters: { tenantid: identity.app.tenantId, serviceprincipalid: identity.app.clientId },
    data,
  };
}

export interface Workspace {
  readonly tempDirectory: string;
  readonly workingDirectory: string;
}

export function createWorkspace(): Workspace {
  const root = testTempDir('entra-token-e2e-');
  const workspace = { tempDirectory: join(root, 'temp'), workingDirectory: join(root, 'work') };
  for (const dir of Object.values(workspace)) mkdirSync(dir);
  return workspace;
}

/** The agent environment for one run, with the connection under test and the fake cloud's CA trusted. */
export function environmentFor(
  cloud: FakeCloud,
  workspace: Workspace,
  options: { inputs: Record<string, string>; endpoints: EndpointSpec[]; extra?: Record<string, string> },
): Record<string, string> {
  return agentEnvironment({
    tempDirectory: workspace.tempDirectory,
    oidcRequestUri: cloud.oidcRequestUri,
    collectionUri: cloud.collectionUri,
    jobToken: cloud.jobToken,
    endpoints: options.endpoints,
    inputs: options.inputs,
    extra: { NODE_EXTRA_CA_CERTS: cloud.caFile, ...options.extra },
  });
}

/** Every file under the given directories whose content contains one of the values. */
export function filesContaining(directories: readonly string[], values: readonly string[]): string[] {
  const hits: string[] = [];
  const visit = (path: string): void => {
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path)) visit(join(path, name));
      return;
    }
    const content = readFileSync(path, 'utf8');
    if (values.some((value) => content.includes(value))) hits.push(path);
  };
  for (const directory of directories) visit(directory);
  return hits;
}
