// Code the task can never run, replaced by a stub that throws if that ever changes. Each entry names the only
// callers and why this task is not one of them; everything that might run is made cold (cold.ts) instead.
import type { Plugin } from 'esbuild';

interface Stub {
  /** The end of the module's path, with forward slashes. */
  readonly file: string;
  readonly exports: readonly string[];
  readonly why: string;
}

export const STUBS: readonly Stub[] = [
  {
    file: 'azure-pipelines-task-lib/toolrunner.js',
    exports: ['ToolRunner'],
    why: 'only tl.tool()/exec()/execSync() construct it; pipeline.ts reads inputs, endpoints and variables and writes commands',
  },
  // msal-node: the credentials (client assertion, secret, certificate) call acquireTokenByClientCredential on a
  // ConfidentialClientApplication, and managed identity uses ManagedIdentityApplication. These serve other flows.
  { file: 'msal-node/dist/client/PublicClientApplication.mjs', exports: ['PublicClientApplication'], why: 'user sign-in flows' },
  { file: 'msal-node/dist/client/UsernamePasswordClient.mjs', exports: ['UsernamePasswordClient'], why: 'acquireTokenByUsernamePassword' },
  { file: 'msal-node/dist/client/OnBehalfOfClient.mjs', exports: ['OnBehalfOfClient'], why: 'acquireTokenOnBehalfOf' },
  {
    file: 'msal-node/dist/client/UserFederatedIdentityCredentialClient.mjs',
    exports: ['UserFederatedIdentityCredentialClient'],
    why: 'acquireTokenByUserFederatedIdentityCredential',
  },
  { file: 'msal-node/dist/protocol/Authorize.mjs', exports: ['getAuthCodeRequestUrl'], why: 'getAuthCodeUrl' },
  { file: 'msal-common/dist/client/AuthorizationCodeClient.mjs', exports: ['AuthorizationCodeClient'], why: 'acquireTokenByCode' },
  { file: 'msal-common/dist/client/RefreshTokenClient.mjs', exports: ['RefreshTokenClient'], why: 'acquireTokenSilent/ByRefreshToken' },
  { file: 'msal-common/dist/client/SilentFlowClient.mjs', exports: ['SilentFlowClient'], why: 'acquireTokenSilent' },
  { file: 'open/index.js', exports: ['default'], why: '@azure/identity opens a browser only for interactive sign-in, which no credential of this task does' },
  // Inside the cold azure-devops-node-api group (cold.ts): NTLM pulls in underscore, des.js and js-md4.
  { file: 'typed-rest-client/handlers/ntlm.js', exports: ['NtlmCredentialHandler'], why: 'verify-access.ts authenticates with a bearer token only' },
  {
    file: 'qs/lib/index.js',
    exports: ['stringify'],
    why: 'typed-rest-client builds a query string with it only for requests with queryParameters; the access check has none',
  },
];

/** Modules whose whole value is known at build time on every Node this task runs on (20 and later). */
export const CONSTANTS: readonly { readonly file: string; readonly value: string; readonly why: string }[] = [
  // jsonwebtoken's feature checks, each `semver.satisfies(process.version, ...)`: without them it needs no semver.
  { file: 'jsonwebtoken/lib/psSupported.js', value: 'true', why: "'^6.12.0 || >=8.0.0'" },
  { file: 'jsonwebtoken/lib/asymmetricKeyDetailsSupported.js', value: 'true', why: "'>=15.7.0'" },
  { file: 'jsonwebtoken/lib/rsaPssKeyDetailsSupported.js', value: 'true', why: "'>=16.9.0'" },
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

export function stubs(list: readonly Stub[] = STUBS): Plugin {
  return {
    name: 'stubs',
    setup(plugin) {
      plugin.onLoad({ filter: /\.m?js$/ }, (args) => {
        const path = args.path.replace(/\\/g, '/');
        const constant = CONSTANTS.find((candidate) => path.endsWith(`/${candidate.file}`));
        if (constant !== undefined) return { contents: `module.exports = ${constant.value};`, loader: 'js' };
        const stub = list.find((candidate) => path.endsWith(`/${candidate.file}`));
        const esm = path.endsWith('.mjs') || stub?.exports.includes('default') === true;
        return stub === undefined ? undefined : { contents: stubSource(stub, esm), loader: 'js' };
      });
    },
  };
}
