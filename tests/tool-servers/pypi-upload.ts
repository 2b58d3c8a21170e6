// Loopback legacy PyPI upload endpoint (what `twine upload` posts to, as Azure Artifacts serves at
// …/pypi/upload/): a multipart/form-data POST with ':action=file_upload', refused unless `authorize` accepts it.
// It checks the file against the sha256_digest twine sends, and keeps what it received.
import { createHash } from 'node:crypto';
import { startToolServer, type Exchange } from './tls-server';
import type { Authorize, ToolRequestRecord, ToolServerTls } from './types';

export interface PypiUpload {
  readonly name: string;
  readonly version: string;
  readonly fileName: string;
  readonly bytes: number;
}

export interface PypiUploadServer {
  /** 'https://127.0.0.1:<port>/contoso/_packaging/<feed>/pypi/upload/', the Azure Artifacts shape */
  readonly url: string;
  readonly uploads: readonly PypiUpload[];
  readonly requests: readonly ToolRequestRecord[];
  close(): Promise<void>;
}

interface Part {
  readonly name: string;
  readonly fileName: string | undefined;
  readonly body: Buffer;
}

export function parseMultipart(body: Buffer, contentType: string): Part[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const marker = boundary?.[1] ?? boundary?.[2];
  if (marker === undefined) throw new Error('multipart body without a boundary');
  const delimiter = Buffer.from(`--${marker}`);
  const parts: Part[] = [];
  let start = body.indexOf(delimiter);
  while (start >= 0) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next < 0) break;
    const chunk = body.subarray(start + delimiter.length + 2, next - 2); // skip CRLF after the delimiter and before the next
    const split = chunk.indexOf('\r\n\r\n');
    const headers = chunk.subarray(0, split).toString('utf8');
    const disposition = /content-disposition:[^\r\n]*/i.exec(headers)?.[0] ?? '';
    const name = /\bname="([^"]*)"/.exec(disposition)?.[1];
    if (name !== undefined) parts.push({ name, fileName: /\bfilename="([^"]*)"/.exec(disposition)?.[1], body: chunk.subarray(split + 4) });
    start = next;
  }
  return parts;
}

function readBody(exchange: Exchange): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    exchange.req.on('data', (chunk: Buffer) => chunks.push(chunk));
    exchange.req.on('end', () => {
      resolve(Buffer.concat(chunks));
    });
    exchange.req.on('error', reject);
  });
}

export async function startPypiUpload(options: { tls: ToolServerTls; authorize: Authorize; feed: string }): Promise<PypiUploadServer> {
  const uploads: PypiUpload[] = [];
  const path = `/contoso/_packaging/${options.feed}/pypi/upload/`;

  async function handle(exchange: Exchange): Promise<void> {
    if (exchange.method !== 'POST' || exchange.path.replace(/\/?$/, '/') !== path) {
      exchange.req.resume();
      exchange.send(404, { 'Content-Type': 'text/plain; charset=utf-8' }, 'Not found\n');
      return;
    }
    const parts = parseMultipart(await readBody(exchange), exchange.req.headers['content-type'] ?? '');
    const field = (name: string) => parts.find((part) => part.name === name);
    const content = field('content');
    const digest = field('sha256_digest')?.body.toString('utf8');
    const valid =
      field(':action')?.body.toString('utf8') === 'file_upload' &&
      content?.fileName !== undefined &&
      digest === createHash('sha256').update(content.body).digest('hex');
    if (!valid) {
      exchange.send(400, { 'Content-Type': 'text/plain; charset=utf-8' }, 'Bad upload\n');
      return;
    }
    uploads.push({
      name: field('name')?.body.toString('utf8') ?? '',
      version: field('version')?.body.toString('utf8') ?? '',
      fileName: content.fileName,
      bytes: content.body.length,
    });
    exchange.send(200, { 'Content-Type': 'text/plain; charset=utf-8' }, 'OK\n');
  }

  const server = await startToolServer({
    tls: options.tls,
    authorize: options.authorize,
    unauthorized: { contentType: 'text/plain; charset=utf-8', body: 'Authentication required\n' },
    handle,
  });
  return { url: `${server.url}${path}`, uploads, requests: server.requests, close: () => server.close() };
}
