// Which Entra authority a connection's identity lives in: the connection's own data, its cloud's name,
// AZURE_AUTHORITY_HOST, or the public cloud, in that order.
import { TaskError, messages } from './messages';

export interface EndpointDataSource {
  getEndpointData(id: string, key: string): string | undefined;
}

export interface Authority {
  /** Origin without a trailing slash, e.g. https://login.microsoftonline.com */
  readonly host: string;
  /** msal-node asks the public cloud to validate any host it does not know, which fails for private clouds. */
  readonly disableInstanceDiscovery: boolean;
}

export const PUBLIC_AUTHORITY = 'https://login.microsoftonline.com';

/** ARM `environment` names and their authorities; AzureStack names its authority in the connection data. */
export const CLOUD_AUTHORITIES: Readonly<Record<string, string>> = {
  azurecloud: PUBLIC_AUTHORITY,
  azureusgovernment: 'https://login.microsoftonline.us',
  azurechinacloud: 'https://login.chinacloudapi.cn',
};

const KNOWN_AUTHORITY_HOSTS = new Set([
  'login.microsoftonline.com',
  'login.windows.net',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
]);

interface AuthoritySetting {
  readonly setting: string;
  readonly value: string;
}

function findAuthority(source: EndpointDataSource, id: string, environmentOverride: string | undefined): AuthoritySetting {
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

function parseAuthority(authority: AuthoritySetting): Authority {
  let url: URL;
  try {
    url = new URL(authority.value);
  } catch {
    throw new TaskError(messages.insecureAuthority(authority.setting, authority.value));
  }
  if (url.protocol !== 'https:') throw new TaskError(messages.insecureAuthority(authority.setting, authority.value));
  return { host: url.origin, disableInstanceDiscovery: !KNOWN_AUTHORITY_HOSTS.has(url.hostname.toLowerCase()) };
}

export function resolveAuthority(source: EndpointDataSource, id: string, environmentOverride: string | undefined): Authority {
  return parseAuthority(findAuthority(source, id, environmentOverride));
}
