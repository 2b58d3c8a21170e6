// Runs the real Azure CLI (Debian's azure-cli, /usr/bin/az) against the fake cloud, in an environment built from
// nothing: its own config dir and HOME, no telemetry, the routing proxy and the fake's CA. Nothing of this
// machine's az setup (profile, token cache, proxies) leaks in. Output is scrubbed before it is shown.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { testTempDir } from '../temp';
import { parseJson } from '../../tasks/EntraToken/v1/src/common/json';
import { isJsonObject, parseJsonObject } from './jwt';
import type { JsonObject } from './jwt';

export const AZURE_CLI = '/usr/bin/az';
export const AZURE_CLI_MISSING = 'azure-cli is not installed: apt-get install azure-cli';
/** Azure DevOps' resource id, as `az account get-access-token --resource` takes it. */
export const AZURE_DEVOPS_RESOURCE = '499b84ac-1321-427f-aa17-267ca6975798';
const DEFAULT_TIMEOUT_MS = 60_000;

/** undefined when az can run here; otherwise why the test skips. */
export function azureCliSkipReason(): string | undefined {
  return existsSync(AZURE_CLI) ? undefined : AZURE_CLI_MISSING;
}

export interface AzureCliOptions {
  /** The CONNECT proxy that routes login.microsoftonline.com and management.azure.com to the fake (HTTPS_PROXY). */
  proxyUrl: string;
  /** The fake's CA (REQUESTS_CA_BUNDLE: az, msal and requests trust only it). */
  caFile: string;
  /** HTTP_PROXY for plain-HTTP requests (IMDS); default proxyUrl, which refuses them, so none reaches the network. */
  httpProxyUrl?: string;
  /** Added to every run, e.g. MSI_ENDPOINT. */
  env?: Record<string, string>;
}

export interface AzRunOptions {
  /** Added to (or overriding) the CLI's environment for this run only. */
  env?: Record<string, string>;
  timeoutMs?: number;
}

export interface AzResult {
  /** null when az was killed (timeout). */
  code: number | null;
  timedOut: boolean;
  /** Raw output: may hold tokens. Show it only through describeAzResult. */
  stdout: string;
  stderr: string;
  ms: number;
}

export interface AzureCli {
  /** AZURE_CONFIG_DIR: az's profile, MSAL token cache and service principal entries live here. */
  readonly configDir: string;
  run(args: readonly string[], options?: AzRunOptions): Promise<AzResult>;
}

export function createAzureCli(options: AzureCliOptions): AzureCli {
  const home = testTempDir('azure-cli-home-');
  const configDir = join(home, '.azure');
  const base: Record<string, string> = {
    PATH: '/usr/bin:/bin',
    HOME: home,
    LANG: 'C.UTF-8',
    AZURE_CONFIG_DIR: configDir,
    AZURE_CORE_COLLECT_TELEMETRY: 'false',
    AZURE_CORE_ONLY_SHOW_ERRORS: 'true',
    AZURE_CORE_NO_COLOR: 'true',
    HTTPS_PROXY: options.proxyUrl,
    HTTP_PROXY: options.httpProxyUrl ?? options.proxyUrl,
    // Loopback endpoints (a test's MSI recorder) are reached directly.
    NO_PROXY: '127.0.0.1,localhost',
    REQUESTS_CA_BUNDLE: options.caFile,
    ...options.env,
  };
  return {
    configDir,
    run: (args, runOptions = {}) => runAz(args, { ...base, ...runOptions.env }, runOptions.timeoutMs ?? DEFAULT_TIMEOUT_MS),
  };
}

// spawn, not execFile: execFile's errors quote the command line, and az's argv may hold an assertion.
function runAz(args: readonly string[], env: Record<string, string>, timeoutMs: number): Promise<AzResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(AZURE_CLI, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const finish = (code: number | null, failure = ''): void => {
      clearTimeout(timer);
      resolve({
        code,
        timedOut,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8') + failure,
        ms: Math.round(performance.now() - started),
      });
    };
    child.on('error', (error) => {
      finish(null, `spawn failed: ${error.name}`);
    });
    child.on('close', (code) => {
      finish(code);
    });
  });
}

const JWT_SHAPE = /eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;

/** Replaces the given secrets and anything JWT-shaped (assertions, access tokens) with a marker. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let result = text;
  for (const secret of secrets) {
    if (secret !== '') result = result.split(secret).join('[secret]');
  }
  return result.replace(JWT_SHAPE, '[jwt]');
}

/** Exit status and scrubbed output, for assertion messages. */
export function describeAzResult(result: AzResult, secrets: readonly string[] = []): string {
  const status = result.timedOut ? 'timed out' : `exit ${String(result.code)}`;
  return redact(`az ${status} after ${String(result.ms)} ms\nstdout: ${result.stdout}\nstderr: ${result.stderr}`, secrets);
}

/** az's JSON output as an object; throws a scrubbed message when az failed or printed something else. */
export function azJsonObject(result: AzResult): JsonObject {
  const value = result.code === 0 ? parseJsonObject(result.stdout) : undefined;
  if (value === undefined) throw new Error(`Expected a JSON object from az: ${describeAzResult(result)}`);
  return value;
}

/** az's JSON output as an array of objects (az login prints the accounts it found). */
export function azJsonArray(result: AzResult): JsonObject[] {
  const value = result.code === 0 ? parseJson(result.stdout) : undefined;
  if (!Array.isArray(value)) throw new Error(`Expected a JSON array from az: ${describeAzResult(result)}`);
  return value.filter(isJsonObject);
}

export interface FederatedLogin {
  clientId: string;
  tenantId: string;
  /** The OIDC assertion, the content of AZURE_FEDERATED_TOKEN_FILE. */
  assertion: string;
}

/** `az login --service-principal --federated-token`, as a pipeline script step runs it (default cloud). */
export function azLoginFederated(cli: AzureCli, login: FederatedLogin, options?: AzRunOptions): Promise<AzResult> {
  const args = [
    'login',
    '--service-principal',
    '-u',
    login.clientId,
    '--tenant',
    login.tenantId,
    '--federated-token',
    login.assertion,
    '--allow-no-subscriptions',
    '--output',
    'json',
  ];
  return cli.run(args, options);
}

/** `az account get-access-token --resource <resource>`. */
export function azGetAccessToken(cli: AzureCli, resource: string, options?: AzRunOptions): Promise<AzResult> {
  return cli.run(['account', 'get-access-token', '--resource', resource, '--output', 'json'], options);
}
