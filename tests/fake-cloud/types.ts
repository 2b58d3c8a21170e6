// Public shapes of the loopback fake cloud. The e2e harness and the task's
// tests depend on these names, so change them only together with those callers.

export interface FederatedCredential {
  issuer: string;
  subject: string;
  /** Defaults to 'api://AzureADTokenExchange'. */
  audience?: string;
}

export interface AppRegistration {
  tenantId: string;
  clientId: string;
  /** Defaults to a random UUID. */
  objectId?: string;
  displayName?: string;
  federatedCredentials: FederatedCredential[];
  /** Client secret values the token endpoint accepts (client_secret_post or client_secret_basic). */
  clientSecrets?: string[];
  /** Secret values that exist but have expired: presenting one gives AADSTS7000222. */
  expiredClientSecrets?: string[];
  /** PEM certificates (public part) for private_key_jwt client assertions, e.g. from createClientCertificate. */
  certificates?: string[];
  /** Default true: the service principal was added as a user of the Azure DevOps organization. */
  organizationMember?: boolean;
  disabled?: boolean;
  /** What ARM's subscription list answers for this principal; default one subscription named after the app. */
  subscriptions?: ArmSubscription[];
}

/** A subscription the fake ARM (FakeCloud.armUrl, management.azure.com) lists for a principal. */
export interface ArmSubscription {
  subscriptionId: string;
  displayName: string;
}

/** A managed identity served by the App Service style endpoint (FakeCloud.managedIdentityEndpoint). */
export interface ManagedIdentity {
  tenantId: string;
  clientId: string;
  /** Defaults to a random UUID. */
  objectId?: string;
  displayName?: string;
  /** The identity answered when the request names none (the "system-assigned" one). */
  default?: boolean;
  /** As AppRegistration.subscriptions; default none (a tenant-level account). */
  subscriptions?: ArmSubscription[];
}

/** A self-signed client certificate for app registrations; thumbprints are upper-case hex of the DER. */
export interface ClientCertificate {
  certPem: string;
  keyPem: string;
  /** Certificate then private key, the shape ClientCertificateCredential's `certificate` option takes. */
  combinedPem: string;
  sha1Thumbprint: string;
  sha256Thumbprint: string;
}

export type IssuerFormat = 'vstoken' | 'entra';

export interface ServiceConnectionRecord {
  id: string;
  name: string;
  projectName: string;
  tenantId: string;
  issuerFormat: IssuerFormat;
}

export interface RequestRecord {
  method: string;
  /** The Host header as sent, e.g. 'login.microsoftonline.com' when tunnelled through the proxy. */
  host: string;
  /** Path without the query string. */
  path: string;
  /** 0 when the connection was dropped on purpose (a fault with status 0). */
  status: number;
  ms: number;
}

export type Route = 'oidc' | 'token' | 'openid' | 'instanceDiscovery' | 'connectionData' | 'managedIdentity';

export interface Fault {
  /** HTTP status to answer with; 0 destroys the connection without answering. */
  status: number;
  body?: string;
  headers?: Record<string, string>;
  delayMs?: number;
  /** Default 1; Infinity allowed. */
  times?: number;
}

export interface TestCertificates {
  /** PEM path, for NODE_EXTRA_CA_CERTS. */
  caFile: string;
  caPem: string;
  keyPem: string;
  certPem: string;
}

export interface FakeCloudOptions {
  /** Default 'contoso'. */
  organizationName?: string;
  /** The hub in System.OidcRequestUri: default 'build'; 'release' for a classic release pipeline's job. */
  hubName?: 'build' | 'release';
  /** Default a random UUID. */
  organizationId?: string;
  /** Default 600. Negative values mint already-expired tokens. */
  oidcLifetimeSeconds?: number;
  /** Default 3599. */
  accessTokenLifetimeSeconds?: number;
  /** Where to write certificates; default a fresh mkdtemp. */
  dir?: string;
  /** Reuse certificates made earlier with createTestCertificates instead of generating new ones. */
  certificates?: TestCertificates;
}

export interface AccessTokenClaims {
  iss: string;
  aud: string;
  tid: string;
  appid: string;
  oid: string;
  exp: number;
  iat: number;
}

export interface FakeCloud {
  /** Entra (token, discovery, keys) and the managed identity endpoint: 'https://127.0.0.1:<port>' */
  readonly url: string;
  readonly port: number;
  /** Azure DevOps (OIDC, connectionData, locations), another host: 'https://127.0.0.1:<devOpsPort>' */
  readonly devOpsUrl: string;
  readonly devOpsPort: number;
  /** Azure Resource Manager (subscription and tenant lists), a third host: 'https://127.0.0.1:<armPort>' */
  readonly armUrl: string;
  readonly armPort: number;
  readonly caFile: string;
  /** The only bearer the OIDC route accepts (System.AccessToken stand-in). */
  readonly jobToken: string;
  readonly organizationName: string;
  readonly organizationId: string;
  /** `${devOpsUrl}/${organizationName}/` */
  readonly collectionUri: string;
  /** Full System.OidcRequestUri, without query. */
  readonly oidcRequestUri: string;
  /** The GUIDs and hub inside oidcRequestUri, for callers that use TaskApi.createOidcToken. */
  readonly projectId: string;
  readonly planId: string;
  readonly jobId: string;
  readonly hubName: string;
  addConnection(c: ServiceConnectionRecord): void;
  addApp(a: AppRegistration): void;
  /** Registers a managed identity; it is an organization member for connectionData. */
  addManagedIdentity(mi: ManagedIdentity): void;
  /** `${url}/msi/token`: set as IDENTITY_ENDPOINT (HTTPS, trusted through NODE_EXTRA_CA_CERTS). */
  readonly managedIdentityEndpoint: string;
  /** Random secret the endpoint requires in X-IDENTITY-HEADER: set as IDENTITY_HEADER. */
  readonly identityHeader: string;
  issuerFor(c: ServiceConnectionRecord): string;
  subjectFor(c: ServiceConnectionRecord): string;
  verifyAccessToken(token: string): AccessTokenClaims | undefined;
  inject(route: Route, fault: Fault): void;
  clearFaults(): void;
  readonly requests: readonly RequestRecord[];
  readonly issuedOidcTokens: readonly string[];
  readonly issuedAccessTokens: readonly string[];
  close(): Promise<void>;
}

export interface ConnectProxy {
  /** 'http://127.0.0.1:<port>' */
  url: string;
  /** 'host:port' of every CONNECT received, including refused ones. */
  readonly tunnels: readonly string[];
  close(): Promise<void>;
}

export interface ConnectProxyOptions {
  /** e.g. 'login.microsoftonline.com:443' -> '127.0.0.1:<port>' */
  routes: Record<string, string>;
  /** When set, CONNECT requires matching Proxy-Authorization: Basic, else 407. */
  credentials?: { username: string; password: string };
  /** When set, every CONNECT is refused with this status line (e.g. '502 Bad Gateway') and body: hostile proxies. */
  refusal?: { status: string; body?: string };
}
