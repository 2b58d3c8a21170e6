// The one table of Azure clouds: the ARM `environment` name a connection carries, its Entra authority, and the
// authority hosts msal-node knows (any other host needs instance discovery turned off).

export interface Cloud {
  /** The ARM environment name, lower-cased, as service connections carry it. */
  readonly environment: string;
  readonly authority: string;
  /** Hosts msal-node validates itself, including the aliases it rewrites to. */
  readonly knownHosts: readonly string[];
  /** What Terraform's azurerm and azuread providers call it (ARM_ENVIRONMENT). */
  readonly terraformEnvironment: string;
}

export const PUBLIC_AUTHORITY = 'https://login.microsoftonline.com';

export const CLOUDS: readonly Cloud[] = [
  {
    environment: 'azurecloud',
    authority: PUBLIC_AUTHORITY,
    knownHosts: ['login.microsoftonline.com', 'login.windows.net'],
    terraformEnvironment: 'public',
  },
  {
    environment: 'azureusgovernment',
    authority: 'https://login.microsoftonline.us',
    knownHosts: ['login.microsoftonline.us'],
    terraformEnvironment: 'usgovernment',
  },
  {
    environment: 'azurechinacloud',
    authority: 'https://login.chinacloudapi.cn',
    knownHosts: ['login.chinacloudapi.cn', 'login.partner.microsoftonline.cn'],
    terraformEnvironment: 'china',
  },
];

export function cloudByEnvironment(name: string | undefined): Cloud | undefined {
  const key = name?.trim().toLowerCase();
  return CLOUDS.find((cloud) => cloud.environment === key);
}

export function isKnownAuthorityHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return CLOUDS.some((cloud) => cloud.knownHosts.includes(host));
}

/** Whether an authority URL is the Azure public cloud's (any other is a sovereign cloud, Azure Stack or custom). */
export function isPublicAuthority(authority: string): boolean {
  const host = URL.canParse(authority) ? new URL(authority).hostname.toLowerCase() : '';
  return CLOUDS[0]?.knownHosts.includes(host) ?? false;
}

/** The cloud an authority URL belongs to, if it is one of the table's. */
export function cloudByAuthority(authority: string): Cloud | undefined {
  const host = URL.canParse(authority) ? new URL(authority).hostname.toLowerCase() : '';
  return CLOUDS.find((cloud) => cloud.knownHosts.includes(host));
}
