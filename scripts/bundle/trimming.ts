// What the task bundle leaves out, defers or skims, in one place. See README "Performance" for what each bought.
// Each rule names the package and versions it was checked against; rules.ts fails the build when one stops matching.
import type { BuildOptions, Plugin } from 'esbuild';
import { readFileSync } from 'node:fs';
import { coldModules, coldRules, type ColdGroup } from './cold';
import { IDENTITY_RULES, identityCredentialsOnly } from './identity';
import { LATE_TASK_LIB_MESSAGES, lateBuiltinRule, lateBuiltins, lateTaskLibMessages, type LateBuiltin } from './late';
import type { Rule, RuleLedger } from './rules';
import { TASK_LIB_SEMVER, taskLibSemver } from './semver-lt';
import { CONSTANTS, STUBS, constantRule, stubRule, stubs } from './stubs';

const TASK_LIB = /[\\/]azure-pipelines-task-lib[\\/]/;
const TASK_SOURCE = /[\\/]tasks[\\/][^\\/]+[\\/]v\d+[\\/]src[\\/]/;
const TASK_LIB_VERSIONS = { package: 'azure-pipelines-task-lib', versions: '5.281.0' } as const;
const TS_HTTP_RUNTIME = { package: '@typespec/ts-http-runtime', versions: '0.3.6' } as const;
/** Our own source: the rule is about what the task imports, so any version of this repository. */
const TASK_ITSELF = { package: 'entra-token-extension', versions: '*' } as const;

export const COLD_GROUPS: readonly ColdGroup[] = [
  {
    name: 'jsonwebtoken',
    // msal-node signs a client assertion with it only for a certificate credential.
    importer: /[\\/]msal-node[\\/]dist[\\/]client[\\/]ClientAssertion\.mjs$/,
    modules: { jsonwebtoken: { kind: 'members', members: { sign: 'call' }, package: 'jsonwebtoken', versions: '9.0.3' } },
  },
  {
    name: 'proxy agents',
    // The Azure SDK's proxy policy constructs one only when a proxy applies to the request.
    importer: /[\\/]@typespec[\\/]ts-http-runtime[\\/]/,
    modules: {
      'https-proxy-agent': { kind: 'members', members: { HttpsProxyAgent: 'construct' }, package: 'https-proxy-agent', versions: '7.0.6' },
      'http-proxy-agent': { kind: 'members', members: { HttpProxyAgent: 'construct' }, package: 'http-proxy-agent', versions: '7.0.2' },
    },
  },
  {
    name: 'azure-devops-node-api',
    // verify-access.ts imports it dynamically, only when verifyAccess is true.
    importer: TASK_SOURCE,
    modules: {
      'azure-devops-node-api/AdoHttpClientBases.js': { kind: 'module', package: 'azure-devops-node-api', versions: '17.0.1' },
      'azure-devops-node-api/handlers/bearertoken.js': { kind: 'module', package: 'azure-devops-node-api', versions: '17.0.1' },
    },
  },
  {
    name: 'minimatch',
    // task-lib's find/match helpers, which the task does not call.
    importer: TASK_LIB,
    modules: {
      minimatch: {
        kind: 'members',
        callable: true,
        members: { Minimatch: 'construct', braceExpand: 'call', match: 'call', filter: 'call' },
        package: 'minimatch',
        versions: '3.1.5',
      },
    },
  },
];

export const LATE_BUILTINS: readonly LateBuiltin[] = [
  // The Azure SDK decompresses only gzip/deflate answers; the token endpoints answer plain JSON.
  { builtin: 'zlib', importer: /[\\/]@typespec[\\/]ts-http-runtime[\\/]/, named: [], ...TS_HTTP_RUNTIME },
  // identity reads a certificate or federated token file only when given a path; the task passes values.
  {
    builtin: 'fs/promises',
    importer: /[\\/]@azure[\\/]identity[\\/]/,
    named: ['readFile'],
    package: '@azure/identity',
    versions: '4.13.1',
  },
  // task-lib runs a child process only in rmRF on Windows.
  { builtin: 'child_process', importer: /[\\/]azure-pipelines-task-lib[\\/]task\.js$/, named: ['execFileSync'], ...TASK_LIB_VERSIONS },
  // The task spawns its token service only when asked to.
  { builtin: 'child_process', importer: TASK_SOURCE, named: ['spawn'], ...TASK_ITSELF },
];

// ts-http-runtime probes `typeof FormData` on every request, which makes Node 20 load undici (fetch) for it.
const DEFINES = { FormData: 'undefined' } as const;
export const DEFINE_FORM_DATA: Rule = { rule: 'define FormData as undefined', ...TS_HTTP_RUNTIME };

/** A define matches nothing esbuild can report, so this records each file of the package that reads the name. */
function defineWitness(ledger: RuleLedger): Plugin {
  return {
    name: 'define-witness',
    setup(plugin) {
      plugin.onLoad({ filter: /[\\/]@typespec[\\/]ts-http-runtime[\\/].*\.js$/ }, (args) => {
        if (readFileSync(args.path, 'utf8').includes('typeof FormData')) ledger.record(DEFINE_FORM_DATA, args.path);
        return undefined;
      });
    },
  };
}

/** Every rule the build must see match, in the order the README describes them. */
export const TRIMMING_RULES: readonly Rule[] = [
  DEFINE_FORM_DATA,
  ...Object.values(IDENTITY_RULES),
  ...STUBS.map(stubRule),
  ...CONSTANTS.map(constantRule),
  TASK_LIB_SEMVER,
  ...COLD_GROUPS.flatMap(coldRules),
  ...LATE_BUILTINS.map(lateBuiltinRule),
  LATE_TASK_LIB_MESSAGES,
];

/** esbuild options and plugins for a task bundle; `base` is also used for the cold groups' own bundles. */
export function trimmedBundle(root: string, base: BuildOptions, ledger: RuleLedger): { options: BuildOptions; plugins: Plugin[] } {
  return {
    options: { define: DEFINES },
    // Order matters: the first plugin to resolve an import wins, and identity's rule catches everything in msal-node.
    plugins: [
      defineWitness(ledger),
      stubs(ledger),
      taskLibSemver(TASK_LIB, ledger),
      coldModules(COLD_GROUPS, { ...base, define: DEFINES }, [defineWitness(ledger), stubs(ledger)], ledger),
      lateBuiltins(LATE_BUILTINS, ledger),
      lateTaskLibMessages(ledger),
      identityCredentialsOnly(root, TASK_SOURCE, ledger),
    ],
  };
}
