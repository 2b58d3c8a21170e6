// Turns the service connection the agent hands the task into a typed identity: who (tenant, client), where
// (authority) and with what proof (federated token, secret, certificate, or the agent's managed identity).
import { resolveAuthority, type EndpointDataSource } from './authority';
import type { ConnectionType, TaskInputs } from '../inputs';

/** The inputs that pick and shape the connection; nothing else of TaskInputs matters here. */
type ConnectionInputs = Pick<TaskInputs, 'connectionType' | 'connectionInput' | 'connectionId' | 'tenantId'>;
import { TaskError, messages } from '../common/messages';
import { MalformedEndpointError, type EndpointAuthorization } from '../platform/port';

export interface EndpointSource extends EndpointDataSource {
  getEndpointAuthorization(id: string): EndpointAuthorization | undefined;
}

/** How the identity proves itself. Secret material stays in memory; nothing is written to disk. */
export type Proof =
  | { readonly kind: 'federated' }
  | { readonly kind: 'secret'; readonly secret: string }
  | { readonly kind: 'certificate'; readonly pem: string }
  | { readonly kind: 'managedIdentity' };

/**
 * The secrets a proof carries, for the registry to scrub. The switch is exhaustive (no default), so a new proof
 * kind does not compile until it says what its secrets are.
 */
export function proofSecrets(proof: Proof): readonly string[] {
  switch (proof.kind) {
    case 'secret':
      return [proof.secret];
    case 'certificate':
      return [proof.pem];
    case 'federated':
    case 'managedIdentity':
      return [];
  }
}

export interface ServiceConnection {
  readonly id: string;
  readonly kind: ConnectionType;
  readonly scheme: string;
  readonly tenantId: string;
  /** For a managed identity, empty means the agent's system-assigned identity. */
  readonly clientId: string;
  readonly authorityHost: string;
  readonly disableInstanceDiscovery: boolean;
  readonly proof: Proof;
}

export const SUPPORTED_SCHEMES: Readonly<Record<ConnectionType, readonly string[]>> = {
  azureDevOps: ['WorkloadIdentityFederation'],
  azureRM: ['WorkloadIdentityFederation', 'ServicePrincipal (secret or certificate)', 'ManagedServiceIdentity'],
};

function parameter(auth: EndpointAuthorization, name: string): string | undefined {
  const key = Object.keys(auth.parameters).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : auth.parameters[key]?.trim();
  return value === '' ? undefined : value;
}

function readAuthorization(source: EndpointSource, inputs: ConnectionInputs): EndpointAuthorization {
  let auth: EndpointAuthorization | undefined;
  try {
    auth = source.getEndpointAuthorization(inputs.connectionId);
  } catch (error) {
    if (error instanceof MalformedEndpointError) throw new TaskError(messages.connectionMalformed(inputs.connectionId), { cause: error });
    throw error;
  }
  if (!auth) throw new TaskError(messages.connectionNotFound(inputs.connectionInput, inputs.connectionId));
  return auth;
}

function required(auth: EndpointAuthorization, id: string, name: string): string {
  const value = parameter(auth, name);
  if (value === undefined) throw new TaskError(messages.connectionParameterMissing(id, name));
  return value;
}

function readCertificate(auth: EndpointAuthorization, id: string): string {
  const pem = required(auth, id, 'servicePrincipalCertificate');
  if (!/-----BEGIN CERTIFICATE-----/.test(pem) || !/-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.test(pem)) {
    throw new TaskError(messages.certificateIncomplete(id));
  }
  return pem;
}

function readProof(auth: EndpointAuthorization, inputs: ConnectionInputs): Proof {
  const id = inputs.connectionId;
  const scheme = auth.scheme.toLowerCase();
  if (scheme === 'workloadidentityfederation') return { kind: 'federated' };
  if (inputs.connectionType === 'azureRM' && scheme === 'serviceprincipal') {
    const type = (parameter(auth, 'authenticationType') ?? 'spnKey').toLowerCase();
    if (type === 'spnkey') return { kind: 'secret', secret: required(auth, id, 'serviceprincipalkey') };
    if (type === 'spncertificate') return { kind: 'certificate', pem: readCertificate(auth, id) };
    throw new TaskError(messages.unsupportedScheme(id, `ServicePrincipal/${type}`, SUPPORTED_SCHEMES.azureRM));
  }
  if (inputs.connectionType === 'azureRM' && scheme === 'managedserviceidentity') return { kind: 'managedIdentity' };
  throw new TaskError(messages.unsupportedScheme(id, auth.scheme, SUPPORTED_SCHEMES[inputs.connectionType]));
}

export function readConnection(
  source: EndpointSource,
  inputs: ConnectionInputs,
  authorityHostVariable: string | undefined,
): ServiceConnection {
  const id = inputs.connectionId;
  const auth = readAuthorization(source, inputs);
  const proof = readProof(auth, inputs);
  const managed = proof.kind === 'managedIdentity';
  const tenantId = inputs.tenantId ?? (managed ? (parameter(auth, 'tenantid') ?? '') : required(auth, id, 'tenantid'));
  const clientId = managed ? (source.getEndpointData(id, 'msiclientId')?.trim() ?? '') : required(auth, id, 'serviceprincipalid');
  const authority = resolveAuthority(source, id, authorityHostVariable);
  return Object.freeze({
    id,
    kind: inputs.connectionType,
    scheme: auth.scheme,
    tenantId,
    clientId,
    authorityHost: authority.host,
    disableInstanceDiscovery: authority.disableInstanceDiscovery,
    proof,
  });
}
