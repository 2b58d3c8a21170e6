// Every trimming rule (stub, constant, cold module, late load, define, shake) names the package it was written
// against and the versions it was checked with, and records each file it matched. After the build, a rule that
// matched nothing, matched another package, or matched a version outside its range fails the build, so an
// upgrade that moves code out from under a rule is caught at build time instead of shipping untrimmed or broken.
import type { Metafile } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { satisfies } from 'semver';
import { parseJson, stringField } from '../../tasks/EntraToken/v1/src/common/json';

export interface CheckedAgainst {
  /** The npm package whose code the rule matches (for our own source: this repository's package name). */
  readonly package: string;
  /** The versions the rule was checked against, as a semver range; pin the package to one of them. */
  readonly versions: string;
}

export interface Rule extends CheckedAgainst {
  /** How the build's error message names the rule, e.g. `stub msal-node/dist/client/OnBehalfOfClient.mjs`. */
  readonly rule: string;
}

interface PackageManifest {
  readonly name: string;
  readonly version: string;
  readonly directory: string;
}

/** The package a file belongs to: the nearest package.json above it that has a name (dist/esm ones often do not). */
export function packageOf(file: string): PackageManifest | undefined {
  for (let directory = dirname(file); ; directory = dirname(directory)) {
    const manifestPath = join(directory, 'package.json');
    if (existsSync(manifestPath)) {
      const manifest = parseJson(readFileSync(manifestPath, 'utf8'));
      const name = stringField(manifest, 'name');
      if (name !== undefined) return { name, version: stringField(manifest, 'version') ?? '', directory };
    }
    if (dirname(directory) === directory) return undefined;
  }
}

function installedVersion(root: string, name: string): string {
  const manifestPath = join(root, 'node_modules', name, 'package.json');
  if (!existsSync(manifestPath)) return 'not installed';
  return stringField(parseJson(readFileSync(manifestPath, 'utf8')), 'version') ?? 'unknown';
}

/** What the plugins saw during one `npm run build`, across every bundle and every cold group's own bundle. */
export class RuleLedger {
  private readonly matches = new Map<string, Set<string>>();
  /** esbuild's metafiles of every bundle built, cold groups included, for tests that check importers. */
  readonly metafiles: Metafile[] = [];

  record(rule: Rule, file: string): void {
    const files = this.matches.get(rule.rule) ?? new Set<string>();
    files.add(file);
    this.matches.set(rule.rule, files);
  }

  matched(rule: Rule): readonly string[] {
    return [...(this.matches.get(rule.rule) ?? [])];
  }

  /** One line per broken rule, naming the rule, the package, the range it was checked against and what is installed. */
  problems(rules: readonly Rule[], root: string): string[] {
    const lines: string[] = [];
    for (const rule of rules) {
      const files = this.matched(rule);
      const where = `trimming rule '${rule.rule}' (package ${rule.package}, checked against ${rule.versions})`;
      if (files.length === 0) {
        lines.push(
          `${where} matched nothing; installed: ${rule.package}@${installedVersion(root, rule.package)}. Check scripts/bundle/ against the new code, then update the rule and its versions.`,
        );
        continue;
      }
      for (const found of new Set(files.map((file) => packageOf(file)))) {
        if (found === undefined) lines.push(`${where} matched a file outside any package`);
        else if (found.name !== rule.package) lines.push(`${where} matched a file of ${found.name}@${found.version} (${found.directory})`);
        else if (!satisfies(found.version, rule.versions)) {
          lines.push(
            `${where}: installed ${found.name}@${found.version} (${found.directory}) is outside that range. Check the rule against it, then update its versions.`,
          );
        }
      }
    }
    return lines;
  }
}
