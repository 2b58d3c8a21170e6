// Loopback npm registry for one package, under a path like an Azure Artifacts
// feed (/npm/registry/), refusing requests `authorize` rejects.
import { buildNpmPackage } from './npm-package';
import { startToolServer } from './tls-server';
import type { Exchange } from './tls-server';
import type { NpmRegistry, NpmRegistryOptions } from './types';

const BASE_PATH = '/npm/registry/';
const JSON_TYPE = 'application/json; charset=utf-8';

export async function startNpmRegistry(options: NpmRegistryOptions): Promise<NpmRegistry> {
  const built = buildNpmPackage(options.packageName, options.version);
  let baseUrl = '';

  function handle(exchange: Exchange): void {
    // Scoped names arrive as @scope%2fname or %40scope%2Fname; the tarball path keeps a literal '/'.
    let rest: string | undefined;
    try {
      rest = exchange.path.startsWith(BASE_PATH) ? decodeURIComponent(exchange.path.slice(BASE_PATH.length)) : undefined;
    } catch {
      rest = undefined; // malformed escape: not one of ours
    }
    const readable = exchange.method === 'GET' || exchange.method === 'HEAD';
    if (readable && rest === options.packageName) {
      exchange.send(200, { 'Content-Type': JSON_TYPE }, built.packument(`${baseUrl}${options.packageName}/-/${built.fileName}`));
    } else if (readable && rest === `${options.packageName}/-/${built.fileName}`) {
      exchange.send(200, { 'Content-Type': 'application/octet-stream' }, built.tarball);
    } else {
      exchange.send(404, { 'Content-Type': JSON_TYPE }, JSON.stringify({ error: 'not_found' }));
    }
  }

  const server = await startToolServer({
    tls: options.tls,
    authorize: options.authorize,
    unauthorized: { contentType: JSON_TYPE, body: JSON.stringify({ error: 'unauthorized' }) },
    handle,
  });
  baseUrl = `${server.url}${BASE_PATH}`;
  return { url: baseUrl, requests: server.requests, close: () => server.close() };
}
