// An npm package built in memory: a real .tgz and the packument that points at it.
import { createHash } from 'node:crypto';
import { tgz } from './tar';

export interface NpmPackage {
  /** '<basename>-<version>.tgz', the registry's tarball file name (no scope). */
  fileName: string;
  tarball: Buffer;
  packument(tarballUrl: string): string;
}

/** npm's rules, loosely: lower case, optional @scope/, URL-safe characters. */
export function checkedPackageName(name: string): string {
  if (!/^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/.test(name)) throw new Error(`unsupported npm package name: ${name}`);
  return name;
}

export function buildNpmPackage(name: string, version: string): NpmPackage {
  checkedPackageName(name);
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new Error(`unsupported version: ${version}`);
  const manifest = { name, version, description: 'Served by the loopback npm registry', main: 'index.js', license: 'MIT' };
  const tarball = tgz([
    { path: 'package/package.json', content: `${JSON.stringify(manifest, null, 2)}\n` },
    { path: 'package/index.js', content: `module.exports = ${JSON.stringify(`hello from ${name}@${version}`)};\n` },
  ]);
  const integrity = `sha512-${createHash('sha512').update(tarball).digest('base64')}`;
  const shasum = createHash('sha1').update(tarball).digest('hex');
  const basename = name.slice(name.lastIndexOf('/') + 1);
  const published = new Date(0).toISOString();

  return {
    fileName: `${basename}-${version}.tgz`,
    tarball,
    packument: (tarballUrl) =>
      JSON.stringify({
        _id: name,
        name,
        'dist-tags': { latest: version },
        versions: { [version]: { ...manifest, _id: `${name}@${version}`, dist: { tarball: tarballUrl, integrity, shasum } } },
        time: { created: published, modified: published, [version]: published },
      }),
  };
}
