// Work moved from load time to first use, without changing what happens: Node built-ins that only rare paths
// need, and task-lib's localized library messages (a 60 KiB object literal that only error paths read).
import type { Plugin } from 'esbuild';
import { readFileSync } from 'node:fs';
import type { CheckedAgainst, Rule, RuleLedger } from './rules';

/** `package` is the importer's: the rule is about how that package uses the built-in. */
export interface LateBuiltin extends CheckedAgainst {
  readonly builtin: string;
  /** Only imports from files whose path matches are deferred. */
  readonly importer: RegExp;
  /** Members imported by name (checked by esbuild); a default import or require() reaches every member lazily. */
  readonly named: readonly string[];
}

// Named exports for `import { x }`; the default export (also what require() sees) forwards any member on access.
function lateSource(late: LateBuiltin): string {
  const load = `let real;\nconst load = () => (real ??= require(${JSON.stringify(`node:${late.builtin}`)}));\n`;
  const named = late.named.map((name) => `export function ${name}(...args) { return load().${name}(...args); }\n`).join('');
  return `${load}${named}export default new Proxy({}, { get: (_target, key) => load()[key] });\n`;
}

export function lateBuiltinRule(late: LateBuiltin): Rule {
  return { rule: `late ${late.builtin} in ${late.package}`, package: late.package, versions: late.versions };
}

export function lateBuiltins(list: readonly LateBuiltin[], ledger: RuleLedger): Plugin {
  return {
    name: 'late-builtins',
    setup(plugin) {
      for (const [index, late] of list.entries()) {
        plugin.onResolve({ filter: new RegExp(`^(?:node:)?${late.builtin.replace('/', '\\/')}$`) }, (args) => {
          if (args.namespace === 'late-builtin' || !late.importer.test(args.importer)) return undefined;
          ledger.record(lateBuiltinRule(late), args.importer);
          return { path: String(index), namespace: 'late-builtin' };
        });
      }
      plugin.onLoad({ filter: /.*/, namespace: 'late-builtin' }, (args) => {
        const late = list[Number(args.path)];
        if (late === undefined) throw new Error(`late-builtins: unknown ${args.path}`);
        return { contents: lateSource(late), loader: 'js' };
      });
    },
  };
}

export const LATE_TASK_LIB_MESSAGES: Rule = {
  rule: 'late azure-pipelines-task-lib/lib-resource.js',
  package: 'azure-pipelines-task-lib',
  versions: '5.281.0',
};

/** task-lib's lib-resource.js as one JSON string, parsed the first time tl.loc() needs a library message. */
export function lateTaskLibMessages(ledger: RuleLedger): Plugin {
  return {
    name: 'late-task-lib-messages',
    setup(plugin) {
      plugin.onLoad({ filter: /[\\/]azure-pipelines-task-lib[\\/]lib-resource\.js$/ }, (args) => {
        ledger.record(LATE_TASK_LIB_MESSAGES, args.path);
        const messages: unknown = JSON.parse(
          readFileSync(args.path, 'utf8')
            .replace(/^[\s\S]*?module\.exports\s*=\s*/, '')
            .replace(/;\s*$/, ''),
        );
        const json = JSON.stringify(JSON.stringify(messages));
        return {
          contents: `let parsed;\nconst load = () => (parsed ??= JSON.parse(${json}));\nmodule.exports = { get messages() { return load().messages; }, get localizedMessages() { return load().localizedMessages; } };\n`,
          loader: 'js',
        };
      });
    },
  };
}
