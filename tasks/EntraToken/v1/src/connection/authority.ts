// Which Entra authority a connection's identity lives in: the connection's own data, its cloud's name,
// AZURE_AUTHORITY_HOST, or the public cloud, in that order.
import { messages } from '../common/messages';
import { requireSecureUrl } from '../http/secure-url';
import { PUBLIC_AUTHORITY, cloudByEnvironment, isKnownAuthorityHost } from './clouds';

export interface EndpointDataSource {
  getEndpointData(id: string, key: string): string | undefined;
}

export interface Authority {
  /** Origin without a trailing slash, e.g. https://login.microsoftonline.com */
  readonly host: string;
  /** msal-node asks the public cloud to validate any host it does not know, which fails for private clouds. */
  readonly disableInstanceDiscovery: boolean;
}

interface AuthoritySetting {
  readonly setting: string;
  readonly value: string;
}

function findAuthority(source: EndpointDataSource, id: string, environmentOverride: string | undefined): AuthoritySetting {
  for (const key of ['activeDirectoryAuthority', 'environmentAuthorityUrl']) {
    const value = source.getEndpointData(id, key)?.trim();
    if (value) return { setting: `Service connection data '${key}'`, value };
  }
  const cloud = cloudByEnvironment(source.getEndpointData(id, 'environment'));
  if (cloud) return { setting: 'Service connection environment', value: cloud.authority };
  if (environmentOverride?.trim()) return { setting: 'AZURE_AUTHORITY_HOST', value: environmentOverride.trim() };
  return { setting: 'The default authority', value: PUBLIC_AUTHORITY };
}

function parseAuthority(authority: AuthoritySetting): Authority {
  const url = requireSecureUrl(authority.value, (shown) => messages.insecureAuthority(authority.setting, shown));
  return { host: url.origin, disableInstanceDiscovery: !isKnownAuthorityHost(url.hostname) };
}

export function resolveAuthority(source: EndpointDataSource, id: string, environmentOverride: string | undefined): Authority {
  return parseAuthority(findAuthority(source, id, environmentOverride));
}
