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
  /** Default true: the service principal was added as a user of the Azure DevOps organization. */
  organizationMember?: boolean;
  disabled?: boolean;
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

export type Route = 'oidc' | 'token' | 'openid' | 'instanceDiscovery' | 'connectionData';

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
  /** 'https://127.0.0.1:<port>' */
  readonly url: string;
  readonly port: number;
  readonly caFile: string;
  /** The only bearer the OIDC route accepts (System.AccessToken stand-in). */
  readonly jobToken: string;
  readonly organizationName: string;
  readonly organizationId: string;
  /** `${url}/${organizationName}/` */
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
}
