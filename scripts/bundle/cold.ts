// Cold code: dependencies this task needs only on rare paths (a certificate credential, a proxy, the access
// self-check). Each group is bundled on its own into a file beside the bundle (dist/cold/<bundle>.<group>.js), which
// Node reads and compiles the first time the group is used. Behaviour is unchanged; the common path just stops
// reading and parsing code it never runs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import type { CheckedAgainst, Rule, RuleLedger } from './rules';

/** How the importer uses a module: whole (its import is already lazy), or only through these members. */
export type ColdUse =
  | { readonly kind: 'module' }
  | { readonly kind: 'members'; readonly members: Readonly<Record<string, 'call' | 'construct'>>; readonly callable?: boolean };

/** A cold module: how it is used, and the package (and versions) its forwarders were checked against. */
export type ColdModule = ColdUse & CheckedAgainst;

export interface ColdGroup {
  /** Shown in stack traces as the file name of the compiled group. */
  readonly name: string;
  /** Only imports from files whose path matches are made cold; others get the modules as usual. */
  readonly importer: RegExp;
  /** Import specifier, exactly as the importer writes it → how the importer uses it. */
  readonly modules: Readonly<Record<string, ColdModule>>;
}

export function coldRules(group: ColdGroup): Rule[] {
  return Object.entries(group.modules).map(([specifier, use]) => coldRule(group, specifier, use));
}

function coldRule(group: ColdGroup, specifier: string, use: ColdModule): Rule {
  return { rule: `cold ${specifier} (group ${group.name})`, package: use.package, versions: use.versions };
}

const MODULE = 'cold-module';
const GROUP = 'cold-group';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Where a group's code goes, relative to the bundle that uses it: one folder, one file per bundle and group. */
export const COLD_FOLDER = 'cold';

export function coldFileName(outfile: string, group: ColdGroup): string {
  const slug = group.name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return `${basename(outfile, '.js')}.${slug}.js`;
}

// Loaded at most once, from beside the running bundle (the token service and the helpers run the same bundle).
function groupLoader(file: string): string {
  return `"use strict";
let loaded;
module.exports = function load() {
  if (loaded === undefined) loaded = require(require("node:path").join(__dirname, ${JSON.stringify(COLD_FOLDER)}, ${JSON.stringify(file)}));
  return loaded;
};
`;
}

function forwarders(use: ColdUse): string {
  if (use.kind === 'module') return 'module.exports = load();\n';
  const head = use.callable === true ? 'module.exports = function (...args) { return load()(...args); };\n' : '';
  const members = Object.entries(use.members).map(([name, how]) =>
    how === 'construct'
      ? `module.exports.${name} = function ${name}(...args) { return new (load().${name})(...args); };`
      : `module.exports.${name} = function ${name}(...args) { return load().${name}(...args); };`,
  );
  return `${head}${members.join('\n')}\n`;
}

async function bundleGroup(
  group: ColdGroup,
  resolveDir: string,
  base: BuildOptions,
  plugins: Plugin[],
  ledger: RuleLedger,
): Promise<string> {
  const entries = Object.keys(group.modules).map((specifier) => `${JSON.stringify(specifier)}: require(${JSON.stringify(specifier)})`);
  const result = await build({
    ...base,
    stdin: { contents: `module.exports = { ${entries.join(', ')} };`, resolveDir, loader: 'js' },
    bundle: true,
    write: false,
    metafile: true,
    plugins,
  });
  ledger.metafiles.push(result.metafile);
  const source = result.outputFiles[0]?.text;
  if (source === undefined) throw new Error(`cold-modules: esbuild produced nothing for ${group.name}`);
  return source;
}

/** `plugins` apply inside each group's own bundle (e.g. stubs for code the group never runs there either). */
export function coldModules(groups: readonly ColdGroup[], base: BuildOptions, plugins: Plugin[], ledger: RuleLedger): Plugin {
  return {
    name: 'cold-modules',
    setup(plugin) {
      // The first importer's directory decides which copy of the packages the group bundles.
      const resolveDirs = new Map<number, string>();
      for (const [index, group] of groups.entries()) {
        const filter = new RegExp(`^(?:${Object.keys(group.modules).map(escapeRegExp).join('|')})$`);
        plugin.onResolve({ filter }, (args) => {
          if (args.namespace === GROUP || !group.importer.test(args.importer)) return undefined;
          if (!resolveDirs.has(index)) resolveDirs.set(index, args.resolveDir);
          const use = group.modules[args.path];
          if (use !== undefined) ledger.record(coldRule(group, args.path, use), require.resolve(args.path, { paths: [args.resolveDir] }));
          return { path: `${String(index)}/${args.path}`, namespace: MODULE };
        });
      }
      plugin.onResolve({ filter: /^cold-group:\d+$/ }, (args) => ({ path: args.path, namespace: GROUP }));
      plugin.onLoad({ filter: /.*/, namespace: MODULE }, (args) => {
        const slash = args.path.indexOf('/');
        const use = groups[Number(args.path.slice(0, slash))]?.modules[args.path.slice(slash + 1)];
        if (use === undefined) throw new Error(`cold-modules: unknown module ${args.path}`);
        const load = `const load = () => require("cold-group:${args.path.slice(0, slash)}")()[${JSON.stringify(args.path.slice(slash + 1))}];\n`;
        return { contents: load + forwarders(use), loader: 'js' };
      });
      plugin.onLoad({ filter: /.*/, namespace: GROUP }, async (args) => {
        const index = Number(args.path.split(':')[1]);
        const group = groups[index];
        const resolveDir = resolveDirs.get(index);
        const { outfile } = plugin.initialOptions;
        if (group === undefined || resolveDir === undefined) throw new Error(`cold-modules: unknown group ${args.path}`);
        if (outfile === undefined) throw new Error('cold-modules: the bundle needs an outfile, beside which its cold groups go');
        const file = coldFileName(outfile, group);
        const folder = join(dirname(outfile), COLD_FOLDER);
        mkdirSync(folder, { recursive: true });
        writeFileSync(join(folder, file), await bundleGroup(group, resolveDir, base, plugins, ledger));
        return { contents: groupLoader(file), loader: 'js' };
      });
    },
  };
}
