// Code the task can never run, replaced by a stub that throws if that ever changes. Each entry names the only
// callers and why this task is not one of them; everything that might run is made cold (cold.ts) instead.
import type { Plugin } from 'esbuild';
import type { CheckedAgainst, Rule, RuleLedger } from './rules';

export interface Stub extends CheckedAgainst {
  /** The end of the module's path, with forward slashes. */
  readonly file: string;
  readonly exports: readonly string[];
  readonly why: string;
  /** The only modules that import it (ends of paths); tests/build checks the bundle has no other importer. */
  readonly importers: readonly string[];
}

const TASK_LIB = { package: 'azure-pipelines-task-lib', versions: '5.281.0' } as const;
const MSAL_NODE = { package: '@azure/msal-node', versions: '5.6.0' } as const;
const MSAL_COMMON = { package: '@azure/msal-common', versions: '16.13.0' } as const;
const JSONWEBTOKEN = { package: 'jsonwebtoken', versions: '9.0.3' } as const;

function msalNode(file: string, name: string, why: string, importer: string): Stub {
  return { file: `msal-node/dist/${file}`, exports: [name], why, importers: [`msal-node/dist/${importer}`], ...MSAL_NODE };
}

function msalCommon(name: string, why: string): Stub {
  return {
    file: `msal-common/dist/client/${name}.mjs`,
    exports: [name],
    why,
    importers: ['msal-common/dist/index-node.mjs'],
    ...MSAL_COMMON,
  };
}

export const STUBS: readonly Stub[] = [
  {
    file: 'azure-pipelines-task-lib/toolrunner.js',
    exports: ['ToolRunner'],
    why: 'only tl.tool()/exec()/execSync() construct it; pipeline.ts reads inputs, endpoints and variables and writes commands',
    importers: ['azure-pipelines-task-lib/task.js'],
    ...TASK_LIB,
  },
  // msal-node: the credentials (client assertion, secret, certificate) call acquireTokenByClientCredential on a
  // ConfidentialClientApplication, and managed identity uses ManagedIdentityApplication. These serve other flows.
  msalNode('client/PublicClientApplication.mjs', 'PublicClientApplication', 'user sign-in flows', 'index.mjs'),
  msalNode('client/UsernamePasswordClient.mjs', 'UsernamePasswordClient', 'acquireTokenByUsernamePassword', 'client/ClientApplication.mjs'),
  msalNode('client/OnBehalfOfClient.mjs', 'OnBehalfOfClient', 'acquireTokenOnBehalfOf', 'client/ConfidentialClientApplication.mjs'),
  msalNode(
    'client/UserFederatedIdentityCredentialClient.mjs',
    'UserFederatedIdentityCredentialClient',
    'acquireTokenByUserFederatedIdentityCredential',
    'client/ConfidentialClientApplication.mjs',
  ),
  msalNode('protocol/Authorize.mjs', 'getAuthCodeRequestUrl', 'getAuthCodeUrl', 'client/ClientApplication.mjs'),
  // msal-node's own copy of msal-common (node_modules/@azure/msal-node/node_modules/@azure/msal-common).
  msalCommon('AuthorizationCodeClient', 'acquireTokenByCode'),
  msalCommon('RefreshTokenClient', 'acquireTokenSilent/ByRefreshToken'),
  msalCommon('SilentFlowClient', 'acquireTokenSilent'),
  {
    file: 'open/index.js',
    exports: ['default'],
    why: '@azure/identity opens a browser only for interactive sign-in, which no credential of this task does',
    importers: ['@azure/identity/dist/esm/msal/nodeFlows/msalClient.js'],
    package: 'open',
    versions: '10.2.0',
  },
  // Inside the cold azure-devops-node-api group (cold.ts): NTLM pulls in underscore, des.js and js-md4.
  {
    file: 'typed-rest-client/handlers/ntlm.js',
    exports: ['NtlmCredentialHandler'],
    why: 'verify-access.ts authenticates with a bearer token only',
    importers: ['typed-rest-client/Handlers.js'],
    package: 'typed-rest-client',
    versions: '3.1.2',
  },
  {
    file: 'qs/lib/index.js',
    exports: ['stringify'],
    why: 'typed-rest-client builds a query string with it only for requests with queryParameters; the access check has none',
    importers: ['typed-rest-client/Util.js'],
    package: 'qs',
    versions: '6.17.1',
  },
];

/** Modules whose whole value is known at build time on every Node this task runs on (20 and later). */
export const CONSTANTS: readonly (CheckedAgainst & { readonly file: string; readonly value: string; readonly why: string })[] = [
  // jsonwebtoken's feature checks, each `semver.satisfies(process.version, ...)`: without them it needs no semver.
  { ...JSONWEBTOKEN, file: 'jsonwebtoken/lib/psSupported.js', value: 'true', why: "'^6.12.0 || >=8.0.0'" },
  { ...JSONWEBTOKEN, file: 'jsonwebtoken/lib/asymmetricKeyDetailsSupported.js', value: 'true', why: "'>=15.7.0'" },
  { ...JSONWEBTOKEN, file: 'jsonwebtoken/lib/rsaPssKeyDetailsSupported.js', value: 'true', why: "'>=16.9.0'" },
];

function stubSource(stub: Stub, esm: boolean): string {
  const message = (name: string): string => JSON.stringify(`EntraToken does not bundle ${name} (${stub.file}): ${stub.why}.`);
  return stub.exports
    .map((name) => {
      const body = `throw new Error(${message(name)});`;
      if (name === 'default') return `export default function stub() { ${body} }`;
      const value = /^[A-Z]/.test(name) ? `class ${name} { constructor() { ${body} } }` : `function ${name}() { ${body} }`;
      return esm ? `export ${value}` : `exports.${name} = ${value};`;
    })
    .join('\n');
}

export function stubRule(stub: Pick<Stub, 'file' | 'package' | 'versions'>): Rule {
  return { rule: `stub ${stub.file}`, package: stub.package, versions: stub.versions };
}

export function constantRule(constant: (typeof CONSTANTS)[number]): Rule {
  return { rule: `constant ${constant.file}`, package: constant.package, versions: constant.versions };
}

export function stubs(ledger: RuleLedger, list: readonly Stub[] = STUBS): Plugin {
  return {
    name: 'stubs',
    setup(plugin) {
      plugin.onLoad({ filter: /\.m?js$/ }, (args) => {
        const path = args.path.replace(/\\/g, '/');
        const constant = CONSTANTS.find((candidate) => path.endsWith(`/${candidate.file}`));
        if (constant !== undefined) {
          ledger.record(constantRule(constant), args.path);
          return { contents: `module.exports = ${constant.value};`, loader: 'js' };
        }
        const stub = list.find((candidate) => path.endsWith(`/${candidate.file}`));
        if (stub === undefined) return undefined;
        ledger.record(stubRule(stub), args.path);
        const esm = path.endsWith('.mjs') || stub.exports.includes('default');
        return { contents: stubSource(stub, esm), loader: 'js' };
      });
    },
  };
}
