// Public shapes of the loopback tool servers (git, npm, pip). The e2e tests
// depend on these names, so change them only together with those callers.

/** Server key and certificate, e.g. from createTestCertificates in tests/fake-cloud. */
export interface ToolServerTls {
  keyPem: string;
  certPem: string;
}

/** Decides from the raw Authorization header (undefined when absent) whether a request may proceed. */
export type Authorize = (authorization: string | undefined) => boolean;

/** The scheme of the Authorization header a request carried; 'other' for any scheme but Bearer and Basic. */
export type AuthKind = 'bearer' | 'basic' | 'none' | 'other';

export interface ToolRequestRecord {
  method: string;
  /** Path without the query string, as sent (not decoded). */
  path: string;
  status: number;
  authorization: AuthKind;
}

export interface GitServerOptions {
  tls: ToolServerTls;
  authorize: Authorize;
  /** Repository name -> files (path -> content) of its initial commit on 'main'. */
  repositories: Record<string, Record<string, string>>;
}

export interface GitServer {
  /** 'https://127.0.0.1:<port>' */
  readonly url: string;
  /** `${url}/contoso/project/_git/<name>`, the Azure Repos shape. */
  repoUrl(name: string): string;
  readonly requests: readonly ToolRequestRecord[];
  close(): Promise<void>;
}

export interface NpmRegistryOptions {
  tls: ToolServerTls;
  authorize: Authorize;
  /** e.g. '@contoso/hello' or 'entra-hello' */
  packageName: string;
  version: string;
}

export interface NpmRegistry {
  /** 'https://127.0.0.1:<port>/npm/registry/' (a path, like Azure Artifacts feeds). */
  readonly url: string;
  readonly requests: readonly ToolRequestRecord[];
  close(): Promise<void>;
}

export interface PipIndexOptions {
  tls: ToolServerTls;
  authorize: Authorize;
  /** Distribution name, e.g. 'entra-hello'; its module is the name with '_' for other characters. */
  projectName: string;
  version: string;
}

export interface PipIndex {
  /** 'https://127.0.0.1:<port>/pypi/simple/' (PEP 503). */
  readonly url: string;
  readonly requests: readonly ToolRequestRecord[];
  close(): Promise<void>;
}
