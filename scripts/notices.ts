// Third-party notices for what the bundles ship: the licence of every production dependency (the bundles are
// built from them and esbuild drops their licence comments). Identical licence texts are written once.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { field, parseJson } from '../tasks/EntraToken/v1/src/common/json';

interface Notice {
  readonly name: string;
  readonly version: string;
  readonly text: string;
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

function productionPackages(root: string): string[] {
  const lock = parseJson(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  const packages = field(lock, 'packages');
  if (typeof packages !== 'object' || packages === null) return [];
  return Object.entries(packages)
    .filter(([path, entry]) => path.startsWith('node_modules/') && field(entry, 'dev') !== true)
    .map(([path]) => path);
}

function noticeFor(root: string, path: string): Notice | undefined {
  const directory = join(root, path);
  if (!existsSync(join(directory, 'package.json'))) return undefined;
  const manifest = parseJson(readFileSync(join(directory, 'package.json'), 'utf8'));
  const name = stringOr(field(manifest, 'name'), path);
  const version = stringOr(field(manifest, 'version'), '');
  const licenseFile = readdirSync(directory).find((file) => /^licen[cs]e/i.test(file));
  const text =
    licenseFile === undefined
      ? `License: ${stringOr(field(manifest, 'license'), 'see the package')}`
      : readFileSync(join(directory, licenseFile), 'utf8').trim();
  return { name, version, text };
}

export function writeThirdPartyNotices(root: string, outFile: string): number {
  const byText = new Map<string, string[]>();
  for (const notice of productionPackages(root).flatMap((path) => noticeFor(root, path) ?? [])) {
    const names = byText.get(notice.text) ?? [];
    names.push(`${notice.name}@${notice.version}`);
    byText.set(notice.text, names);
  }
  const sections = [...byText].map(([text, names]) => `${names.sort().join(', ')}\n\n${text}\n`);
  const header = 'EntraToken bundles code from the following packages, under the licences below.\n';
  writeFileSync(outFile, [header, ...sections].join(`\n${'-'.repeat(78)}\n\n`));
  return [...byText.values()].reduce((sum, names) => sum + names.length, 0);
}
