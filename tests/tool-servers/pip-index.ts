// Loopback PEP 503 "simple" index for one project with one wheel, refusing
// requests `authorize` rejects (pip sends Basic from the index URL's userinfo).
import { startToolServer } from './tls-server';
import type { Exchange } from './tls-server';
import type { PipIndex, PipIndexOptions } from './types';
import { buildWheel, normalizeProjectName } from './wheel';

const SIMPLE_PATH = '/pypi/simple/';
const PACKAGES_PATH = '/pypi/packages/';
const HTML_TYPE = 'text/html; charset=utf-8';

function page(title: string, links: string): string {
  return `<!DOCTYPE html>\n<html><head><meta name="pypi:repository-version" content="1.0"><title>${title}</title></head>\n<body><h1>${title}</h1>\n${links}\n</body></html>\n`;
}

export async function startPipIndex(options: PipIndexOptions): Promise<PipIndex> {
  const wheel = buildWheel(options.projectName, options.version);
  const normalized = normalizeProjectName(options.projectName);

  function handle(exchange: Exchange): void {
    const readable = exchange.method === 'GET' || exchange.method === 'HEAD';
    const path = exchange.path;
    if (readable && path === SIMPLE_PATH) {
      exchange.send(200, { 'Content-Type': HTML_TYPE }, page('Simple index', `<a href="${normalized}/">${normalized}</a>`));
      return;
    }
    // Any spelling that normalizes to ours, with or without the trailing slash.
    const project = path.startsWith(SIMPLE_PATH) ? path.slice(SIMPLE_PATH.length).replace(/\/$/, '') : undefined;
    if (readable && project !== undefined && normalizeProjectName(project) === normalized) {
      const link = `<a href="${PACKAGES_PATH}${wheel.fileName}#sha256=${wheel.sha256}">${wheel.fileName}</a>`;
      exchange.send(200, { 'Content-Type': HTML_TYPE }, page(`Links for ${normalized}`, link));
      return;
    }
    if (readable && path === `${PACKAGES_PATH}${wheel.fileName}`) {
      exchange.send(200, { 'Content-Type': 'application/octet-stream' }, wheel.bytes);
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
  return { url: `${server.url}${SIMPLE_PATH}`, requests: server.requests, close: () => server.close() };
}
