// Turns the service connection the agent hands the task into a typed description of the federated identity.
import type { ConnectionType, TaskInputs } from './inputs';
import { MalformedEndpointError, type EndpointAuthorization } from './port';
import { TaskError, messages } from './messages';

export interface EndpointSource {
  getEndpointData(id: string, key: string): string | undefined;
  getEndpointAuthorization(id: string): EndpointAuthorization | undefined;
}

export interface FederatedConnection {
  readonly id: string;
  readonly kind: ConnectionType;
  readonly tenantId: string;
  readonly clientId: string;
  /** Origin of the Entra authority, without a trailing slash, e.g. https://login.microsoftonline.com */
  readonly authorityHost: string;
  /** msal-node asks the public cloud to validate any host it does not know, which fails for private clouds. */
  readonly disableInstanceDiscovery: boolean;
}

export const PUBLIC_AUTHORITY = 'https://login.microsoftonline.com';

const CLOUD_AUTHORITIES: Readonly<Record<string, string>> = {
  azurecloud: PUBLIC_AUTHORITY,
  azureusgovernment: 'https://login.microsoftonline.us',
  azurechinacloud: 'https://login.chinacloudapi.cn',
};

const KNOWN_AUTHORITY_HOSTS = new Set([
  'login.microsoftonline.com',
  'login.windows.net',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
]);

function parameter(auth: EndpointAuthorization, name: string): string | undefined {
  const key = Object.keys(auth.parameters).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : auth.parameters[key]?.trim();
  return value === '' ? undefined : value;
}

interface AuthoritySetting {
  readonly setting: string;
  readonly value: string;
}

function findAuthority(source: EndpointSource, id: string, environmentOverride: string | undefined): AuthoritySetting {
  for (const key of ['activeDirectoryAuthority', 'environmentAuthorityUrl']) {
    const value = source.getEndpointData(id, key)?.trim();
    if (value) return { setting: `Service connection data '${key}'`, value };
  }
  const cloud = source.getEndpointData(id, 'environment')?.trim().toLowerCase();
  const mapped = cloud === undefined ? undefined : CLOUD_AUTHORITIES[cloud];
  if (mapped) return { setting: 'Service connection environment', value: mapped };
  if (environmentOverride?.trim()) return { setting: 'AZURE_AUTHORITY_HOST', value: environmentOverride.trim() };
  return { setting: 'The default authority', value: PUBLIC_AUTHORITY };
}

export function resolveAuthority(authority: AuthoritySetting): { host: string; disableInstanceDiscovery: boolean } {
  let url: URL;
  try {
    url = new URL(authority.value);
  } catch {
    throw new TaskError(messages.insecureAuthority(authority.setting, authority.value));
  }
  if (url.protocol !== 'https:') throw new TaskError(messages.insecureAuthority(authority.setting, authority.value));
  return { host: url.origin, disableInstanceDiscovery: !KNOWN_AUTHORITY_HOSTS.has(url.hostname.toLowerCase()) };
}

function readAuthorization(source: EndpointSource, inputs: TaskInputs): EndpointAuthorization {
  let auth: EndpointAuthorization | undefined;
  try {
    auth = source.getEndpointAuthorization(inputs.connectionId);
  } catch (error) {
    if (error instanceof MalformedEndpointError) throw new TaskError(messages.connectionMalformed(inputs.connectionId));
    throw error;
  }
  if (!auth) throw new TaskError(messages.connectionNotFound(inputs.connectionInput, inputs.connectionId));
  return auth;
}

export function readConnection(
  source: EndpointSource,
  inputs: TaskInputs,
  authorityHostVariable: string | undefined,
): FederatedConnection {
  const id = inputs.connectionId;
  const auth = readAuthorization(source, inputs);
  if (auth.scheme.toLowerCase() !== 'workloadidentityfederation') {
    throw new TaskError(messages.unsupportedScheme(id, auth.scheme));
  }
  const tenantId = parameter(auth, 'tenantid');
  if (!tenantId) throw new TaskError(messages.connectionParameterMissing(id, 'tenantid'));
  const clientId = parameter(auth, 'serviceprincipalid');
  if (!clientId) throw new TaskError(messages.connectionParameterMissing(id, 'serviceprincipalid'));
  const authority = resolveAuthority(findAuthority(source, id, authorityHostVariable));
  return Object.freeze({
    id,
    kind: inputs.connectionType,
    tenantId,
    clientId,
    authorityHost: authority.host,
    disableInstanceDiscovery: authority.disableInstanceDiscovery,
  });
}
