// Minimal ustar writer for regular files: enough for an npm package tarball.
import { gzipSync } from 'node:zlib';

const BLOCK = 512;

export interface ArchiveEntry {
  path: string;
  content: string | Buffer;
}

function octal(value: number, width: number): string {
  // Width includes the terminating NUL.
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function header(path: string, size: number): Buffer {
  if (Buffer.byteLength(path) > 100) throw new Error(`tar path too long for a plain ustar header: ${path}`);
  const block = Buffer.alloc(BLOCK, 0);
  block.write(path, 0, 100, 'utf8');
  block.write(octal(0o644, 8), 100, 'ascii');
  block.write(octal(0, 8), 108, 'ascii'); // uid
  block.write(octal(0, 8), 116, 'ascii'); // gid
  block.write(octal(size, 12), 124, 'ascii');
  block.write(octal(0, 12), 136, 'ascii'); // mtime: fixed, so the bytes (and integrity) are reproducible
  block.write('        ', 148, 'ascii'); // checksum counts as spaces while it is computed
  block.write('0', 156, 'ascii'); // regular file
  block.write('ustar\u000000', 257, 'ascii');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return block;
}

export function tar(entries: readonly ArchiveEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const data = typeof entry.content === 'string' ? Buffer.from(entry.content, 'utf8') : entry.content;
    parts.push(header(entry.path, data.length), data, Buffer.alloc((BLOCK - (data.length % BLOCK)) % BLOCK, 0));
  }
  parts.push(Buffer.alloc(2 * BLOCK, 0)); // end-of-archive marker
  return Buffer.concat(parts);
}

export function tgz(entries: readonly ArchiveEntry[]): Buffer {
  return gzipSync(tar(entries));
}
