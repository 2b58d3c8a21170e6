// What the task hands the background token service over its IPC channel: never through the environment,
// the command line or a file, where another process or a later step could read the job token.
import type { Limits } from '../http/limits';
import type { AgentProxy } from '../platform/port';

/** What the task knows about the identity, and may ask the service to keep minting tokens for. */
export interface ServiceRequest {
  readonly requestUri: string;
  readonly jobToken: string;
  readonly connectionId: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly authorityHost: string;
  readonly disableInstanceDiscovery: boolean;
  /** `.default` scopes; the first is served when a caller names none. */
  readonly allowedScopes: readonly string[];
  /** Where the service keeps a current OIDC assertion for AZURE_FEDERATED_TOKEN_FILE. */
  readonly federatedTokenFile: string;
  /** The assertion the task already holds: the file's first content, so the service starts without a request. */
  readonly initialAssertion: string;
  /** Container registries (login servers) the docker credential helper may get ACR tokens for. */
  readonly registries: readonly string[];
}

export interface ServiceConfig extends ServiceRequest {
  /** What later steps present to get a token. */
  readonly secret: string;
  /** Only the post-job step has this one (through a task variable): it stops the service without a signal. */
  readonly controlSecret: string;
  /** The agent process that ran the task (0 in a container job): when it is gone, so is the service. */
  readonly agentPid: number;
  readonly lifetimeMs: number;
  readonly limits: Limits;
  readonly agentProxy?: AgentProxy;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;
}

function parseLimits(value: unknown): Limits | undefined {
  if (!isRecord(value)) return undefined;
  const { requestTimeoutMs, maxRetries, retryDelayMs, maxRetryDelayMs, taskTimeoutMs } = value;
  const numbers = [requestTimeoutMs, maxRetries, retryDelayMs, maxRetryDelayMs, taskTimeoutMs];
  if (!numbers.every((n) => typeof n === 'number')) return undefined;
  return {
    requestTimeoutMs: Number(requestTimeoutMs),
    maxRetries: Number(maxRetries),
    retryDelayMs: Number(retryDelayMs),
    maxRetryDelayMs: Number(maxRetryDelayMs),
    taskTimeoutMs: Number(taskTimeoutMs),
  };
}

function parseProxy(value: unknown): AgentProxy | undefined {
  if (!isRecord(value) || typeof value.url !== 'string') return undefined;
  return {
    url: value.url,
    username: typeof value.username === 'string' ? value.username : undefined,
    password: typeof value.password === 'string' ? value.password : undefined,
    bypass: strings(value.bypass) ?? [],
  };
}

export function parseServiceConfig(message: unknown): ServiceConfig | undefined {
  if (!isRecord(message)) return undefined;
  const text = [
    'secret',
    'requestUri',
    'jobToken',
    'connectionId',
    'tenantId',
    'clientId',
    'authorityHost',
    'controlSecret',
    'federatedTokenFile',
    'initialAssertion',
  ] as const;
  if (!text.every((key) => typeof message[key] === 'string' && message[key] !== '')) return undefined;
  const allowedScopes = strings(message.allowedScopes);
  const registries = strings(message.registries);
  const limits = parseLimits(message.limits);
  const { agentPid, lifetimeMs, disableInstanceDiscovery } = message;
  if (
    !allowedScopes?.length ||
    !registries ||
    !limits ||
    typeof agentPid !== 'number' ||
    typeof lifetimeMs !== 'number' ||
    typeof disableInstanceDiscovery !== 'boolean'
  )
    return undefined;
  return {
    secret: String(message.secret),
    requestUri: String(message.requestUri),
    jobToken: String(message.jobToken),
    connectionId: String(message.connectionId),
    tenantId: String(message.tenantId),
    clientId: String(message.clientId),
    authorityHost: String(message.authorityHost),
    disableInstanceDiscovery,
    allowedScopes,
    federatedTokenFile: String(message.federatedTokenFile),
    initialAssertion: String(message.initialAssertion),
    registries,
    controlSecret: String(message.controlSecret),
    agentPid,
    lifetimeMs,
    limits,
    agentProxy: parseProxy(message.agentProxy),
  };
}
