// Reads a PNG's size from its IHDR chunk, so icon checks need no image library.
import { readFileSync } from 'node:fs';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function pngSize(path: string): { width: number; height: number } {
  const png = readFileSync(path);
  if (png.length < 24 || !png.subarray(0, 8).equals(SIGNATURE) || png.toString('ascii', 12, 16) !== 'IHDR') {
    throw new Error(`${path} is not a PNG file`);
  }
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}
