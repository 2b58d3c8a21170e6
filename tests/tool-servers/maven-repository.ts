// Loopback Maven 2 repository (the layout Azure Artifacts serves at …/maven/v1/) with one artifact: its POM,
// a jar and their .sha1 files, refusing requests `authorize` rejects (Maven sends Basic from its <server>).
import { createHash } from 'node:crypto';
import { startToolServer, type Exchange } from './tls-server';
import type { Authorize, ToolRequestRecord, ToolServerTls } from './types';
import { zip } from './zip';

export interface MavenRepositoryOptions {
  tls: ToolServerTls;
  authorize: Authorize;
  groupId: string;
  artifactId: string;
  version: string;
}

export interface MavenRepository {
  /** 'https://127.0.0.1:<port>/maven/v1/' */
  readonly url: string;
  readonly requests: readonly ToolRequestRecord[];
  close(): Promise<void>;
}

const BASE = '/maven/v1/';

function artifactFiles(options: MavenRepositoryOptions): Map<string, Buffer> {
  const { groupId, artifactId, version } = options;
  const directory = `${BASE}${groupId.replace(/\./g, '/')}/${artifactId}/${version}/`;
  const pom = `<?xml version="1.0" encoding="UTF-8"?>\n<project xmlns="http://maven.apache.org/POM/4.0.0">\n  <modelVersion>4.0.0</modelVersion>\n  <groupId>${groupId}</groupId>\n  <artifactId>${artifactId}</artifactId>\n  <version>${version}</version>\n  <packaging>jar</packaging>\n</project>\n`;
  const jar = zip([
    { path: 'META-INF/MANIFEST.MF', content: 'Manifest-Version: 1.0\r\n\r\n' },
    { path: 'hello.txt', content: `hello from ${artifactId}\n` },
  ]);
  const files = new Map<string, Buffer>();
  for (const [name, bytes] of [
    [`${artifactId}-${version}.pom`, Buffer.from(pom)],
    [`${artifactId}-${version}.jar`, jar],
  ] as const) {
    files.set(`${directory}${name}`, bytes);
    files.set(`${directory}${name}.sha1`, Buffer.from(createHash('sha1').update(bytes).digest('hex')));
  }
  return files;
}

export async function startMavenRepository(options: MavenRepositoryOptions): Promise<MavenRepository> {
  const files = artifactFiles(options);

  function handle(exchange: Exchange): void {
    const body = files.get(exchange.path);
    if ((exchange.method === 'GET' || exchange.method === 'HEAD') && body !== undefined) {
      exchange.send(200, { 'Content-Type': 'application/octet-stream' }, body);
      return;
    }
    exchange.send(404, { 'Content-Type': 'text/plain; charset=utf-8' }, 'Not found\n');
  }

  const server = await startToolServer({
    tls: options.tls,
    authorize: options.authorize,
    unauthorized: { contentType: 'text/plain; charset=utf-8', body: 'Authentication required\n' },
    handle,
  });
  return { url: `${server.url}${BASE}`, requests: server.requests, close: () => server.close() };
}
