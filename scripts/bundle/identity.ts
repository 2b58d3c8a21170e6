// Lets esbuild shake @azure/identity and msal-node down to the credentials the task constructs. Three things stop
// it otherwise: the package index pulls every credential module (each runs code at load), identity hands msal-node's
// whole namespace around as a value, and msal-node does not declare that its modules are free of side effects.
import type { Plugin } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import type { Rule, RuleLedger } from './rules';

const IDENTITY = { package: '@azure/identity', versions: '4.13.1' } as const;
export const IDENTITY_RULES = {
  entry: { ...IDENTITY, rule: "@azure/identity's index narrowed to the credentials the task imports" },
  namespace: { ...IDENTITY, rule: "@azure/identity's msalCommon namespace narrowed to the members msal/utils.js reads" },
  sideEffects: { package: '@azure/msal-node', versions: '5.6.0', rule: 'msal-node modules marked free of side effects' },
} as const satisfies Record<string, Rule>;

/** Value names (not types) that a source file imports from `specifier`; undefined for a namespace or default import. */
export function namedValueImports(file: string, specifier: string): string[] | undefined {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const names: string[] = [];
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    if (statement.moduleSpecifier.text !== specifier || statement.importClause?.phaseModifier === ts.SyntaxKind.TypeKeyword) continue;
    const bindings = statement.importClause?.namedBindings;
    if (statement.importClause?.name !== undefined || (bindings !== undefined && !ts.isNamedImports(bindings))) return undefined;
    for (const element of bindings?.elements ?? []) {
      if (!element.isTypeOnly) names.push((element.propertyName ?? element.name).text);
    }
  }
  return names;
}

/** Exported name → file, from the `export { A, B as C } from "./x.js"` lines of identity's ESM index. */
function identityExports(esmDirectory: string): Map<string, string> {
  const files = new Map<string, string>();
  const index = readFileSync(join(esmDirectory, 'index.js'), 'utf8');
  for (const match of index.matchAll(/export \{([^}]*)\} from "(\.\/[^"]+)";/g)) {
    for (const part of (match[1] ?? '').split(',')) {
      const exported = part
        .trim()
        .split(/\s+as\s+/)
        .pop();
      if (exported !== undefined && exported !== '') files.set(exported, join(esmDirectory, match[2] ?? ''));
    }
  }
  return files;
}

/** The members of msal-node that identity's `msalCommon` namespace is actually read for. */
function msalMembersUsed(esmDirectory: string): string[] {
  const utils = readFileSync(join(esmDirectory, 'msal', 'utils.js'), 'utf8');
  return [...new Set([...utils.matchAll(/msalCommon\.(\w+)/g)].map((match) => match[1] ?? ''))].filter((name) => name !== '');
}

export function identityCredentialsOnly(root: string, sourceFilter: RegExp, ledger: RuleLedger): Plugin {
  const esmDirectory = join(dirname(require.resolve('@azure/identity/package.json', { paths: [root] })), 'dist', 'esm');
  return {
    name: 'identity-credentials-only',
    setup(plugin) {
      plugin.onResolve({ filter: /^@azure\/identity$/ }, (args) => {
        if (!sourceFilter.test(args.importer)) return undefined;
        const names = namedValueImports(args.importer, '@azure/identity');
        return names === undefined ? undefined : { path: args.importer, namespace: 'identity-entry', pluginData: names };
      });
      plugin.onLoad({ filter: /.*/, namespace: 'identity-entry' }, (args) => {
        const exported = identityExports(esmDirectory);
        ledger.record(IDENTITY_RULES.entry, join(esmDirectory, 'index.js'));
        const names: unknown = args.pluginData;
        const lines = (Array.isArray(names) ? names : []).map((name: unknown) => {
          const file = typeof name === 'string' ? exported.get(name) : undefined;
          if (typeof name !== 'string' || file === undefined) throw new Error(`@azure/identity's ESM index exports no ${String(name)}`);
          return `export { ${name} } from ${JSON.stringify(file)};`;
        });
        return { contents: lines.join('\n'), loader: 'js', resolveDir: esmDirectory };
      });
      // identity/msal/msal.js re-exports `import * as msalCommon`, which keeps every msal-node export alive.
      plugin.onLoad({ filter: /[\\/]@azure[\\/]identity[\\/]dist[\\/]esm[\\/]msal[\\/]msal\.js$/ }, (args) => {
        ledger.record(IDENTITY_RULES.namespace, args.path);
        const used = msalMembersUsed(esmDirectory);
        // An empty list would hand identity an empty msalCommon and fail only at run time; fail the build instead.
        if (used.length === 0) throw new Error(`${IDENTITY_RULES.namespace.rule}: msal/utils.js reads no msalCommon member any more`);
        const members = used.join(', ');
        return { contents: `import { ${members} } from "@azure/msal-node";\nexport const msalCommon = { ${members} };\n`, loader: 'js' };
      });
      // msal-node's modules only declare classes and constants (no top-level calls), but its package.json does
      // not say so; without the hint, esbuild keeps every module its index re-exports.
      plugin.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === 'msal-side-effects' || !/[\\/]@azure[\\/](?:msal-node|identity)[\\/]/.test(args.importer)) return undefined;
        const resolved = await plugin.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: 'msal-side-effects',
        });
        if (resolved.errors.length > 0 || !/[\\/]@azure[\\/]msal-node[\\/]dist[\\/]/.test(resolved.path)) return undefined;
        ledger.record(IDENTITY_RULES.sideEffects, resolved.path);
        return { path: resolved.path, sideEffects: false };
      });
    },
  };
}
