// A minimal pure-Python wheel (PEP 427) built in memory: one module, METADATA,
// WHEEL and a RECORD that lists every file's sha256, as installers check.
import { createHash } from 'node:crypto';
import type { ArchiveEntry } from './tar';
import { zip } from './zip';

export interface Wheel {
  /** '<dist>-<version>-py3-none-any.whl' */
  fileName: string;
  /** The import name, e.g. 'entra_hello'. */
  moduleName: string;
  bytes: Buffer;
  /** Hex sha256 of bytes, for the index link's #sha256= fragment. */
  sha256: string;
}

/** PEP 503 normalized project name. */
export function normalizeProjectName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

function recordHash(content: string): string {
  return `sha256=${createHash('sha256').update(content, 'utf8').digest('base64url')}`;
}

export function buildWheel(projectName: string, version: string): Wheel {
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(projectName)) throw new Error(`unsupported project name: ${projectName}`);
  if (!/^\d+(?:\.\d+)*$/.test(version)) throw new Error(`unsupported version: ${version}`);
  const moduleName = normalizeProjectName(projectName).replace(/-/g, '_');
  const distInfo = `${moduleName}-${version}.dist-info`;
  const files: ArchiveEntry[] = [
    {
      path: `${moduleName}/__init__.py`,
      content: `VERSION = ${JSON.stringify(version)}\nGREETING = ${JSON.stringify(`hello from ${projectName}`)}\n`,
    },
    {
      path: `${distInfo}/METADATA`,
      content: `Metadata-Version: 2.1\nName: ${projectName}\nVersion: ${version}\nSummary: Served by the loopback pip index\n`,
    },
    { path: `${distInfo}/WHEEL`, content: 'Wheel-Version: 1.0\nGenerator: tool-servers\nRoot-Is-Purelib: true\nTag: py3-none-any\n' },
  ];
  const record =
    files
      .map((file) => {
        const content = typeof file.content === 'string' ? file.content : file.content.toString('utf8');
        return `${file.path},${recordHash(content)},${Buffer.byteLength(content)}\n`;
      })
      .join('') + `${distInfo}/RECORD,,\n`;
  const bytes = zip([...files, { path: `${distInfo}/RECORD`, content: record }]);
  return {
    fileName: `${moduleName}-${version}-py3-none-any.whl`,
    moduleName,
    bytes,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}
