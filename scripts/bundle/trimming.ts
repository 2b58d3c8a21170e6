// What the task bundle leaves out, defers or skims, in one place. See README "Performance" for what each bought.
import type { BuildOptions, Plugin } from 'esbuild';
import { coldModules, type ColdGroup } from './cold';
import { identityCredentialsOnly } from './identity';
import { lateBuiltins, lateTaskLibMessages, type LateBuiltin } from './late';
import { taskLibSemver } from './semver-lt';
import { stubs } from './stubs';

const TASK_LIB = /[\\/]azure-pipelines-task-lib[\\/]/;
const TASK_SOURCE = /[\\/]tasks[\\/][^\\/]+[\\/]v\d+[\\/]src[\\/]/;

export const COLD_GROUPS: readonly ColdGroup[] = [
  {
    name: 'jsonwebtoken',
    // msal-node signs a client assertion with it only for a certificate credential.
    importer: /[\\/]msal-node[\\/]dist[\\/]client[\\/]ClientAssertion\.mjs$/,
    modules: { jsonwebtoken: { kind: 'members', members: { sign: 'call' } } },
  },
  {
    name: 'proxy agents',
    // The Azure SDK's proxy policy constructs one only when a proxy applies to the request.
    importer: /[\\/]@typespec[\\/]ts-http-runtime[\\/]/,
    modules: {
      'https-proxy-agent': { kind: 'members', members: { HttpsProxyAgent: 'construct' } },
      'http-proxy-agent': { kind: 'members', members: { HttpProxyAgent: 'construct' } },
    },
  },
  {
    name: 'azure-devops-node-api',
    // verify-access.ts imports it dynamically, only when verifyAccess is true.
    importer: TASK_SOURCE,
    modules: { 'azure-devops-node-api/AdoHttpClientBases.js': { kind: 'module' }, 'azure-devops-node-api/handlers/bearertoken.js': { kind: 'module' } },
  },
  {
    name: 'minimatch',
    // task-lib's find/match helpers, which the task does not call.
    importer: TASK_LIB,
    modules: {
      minimatch: { kind: 'members', callable: true, members: { Minimatch: 'construct', braceExpand: 'call', match: 'call', filter: 'call' } },
    },
  },
];

export const LATE_BUILTINS: readonly LateBuiltin[] = [
  // The Azure SDK decompresses only gzip/deflate answers; the token endpoints answer plain JSON.
  { builtin: 'zlib', importer: /[\\/]@typespec[\\/]ts-http-runtime[\\/]/, named: [] },
  // identity reads a certificate or federated token file only when given a path; the task passes values.
  { builtin: 'fs/promises', importer: /[\\/]@azure[\\/]identity[\\/]/, named: ['readFile'] },
  // task-lib runs a child process only in rmRF on Windows.
  { builtin: 'child_process', importer: /[\\/]azure-pipelines-task-lib[\\/]task\.js$/, named: ['execFileSync'] },
  // The task spawns its token service only when asked to.
  { builtin: 'child_process', importer: TASK_SOURCE, named: ['spawn'] },
];

/** esbuild options and plugins for a task bundle; `base` is also used for the cold groups' own bundles. */
export function trimmedBundle(root: string, base: BuildOptions): { options: BuildOptions; plugins: Plugin[] } {
  return {
    // ts-http-runtime probes `typeof FormData` on every request, which makes Node 20 load undici (fetch) for it.
    options: { define: { FormData: 'undefined' } },
    // Order matters: the first plugin to resolve an import wins, and identity's rule catches everything in msal-node.
    plugins: [
      stubs(),
      taskLibSemver(TASK_LIB),
      coldModules(COLD_GROUPS, { ...base, define: { FormData: 'undefined' } }, [stubs()]),
      lateBuiltins(LATE_BUILTINS),
      lateTaskLibMessages(),
      identityCredentialsOnly(root, TASK_SOURCE),
    ],
  };
}
