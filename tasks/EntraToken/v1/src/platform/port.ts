// The small interface through which the task talks to the agent. `pipeline.ts` implements it with task-lib;
// unit tests implement it with typed fakes. Nothing here imports task-lib.
import { field } from '../common/json';

export interface EndpointAuthorization {
  readonly scheme: string;
  readonly parameters: Readonly<Record<string, string>>;
}

export interface AgentProxy {
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  /** Regular expressions from Agent.ProxyBypassList, matched against the full request URL. */
  readonly bypass: readonly string[];
}

export interface VariableOptions {
  readonly secret: boolean;
  readonly isOutput: boolean;
}

export interface Pipeline {
  getInput(name: string): string | undefined;
  /** Non-secret variables only: task-lib echoes the value into the debug log. */
  getVariable(name: string): string | undefined;
  /** A variable that may hold secrets (set by an earlier step), read without echoing it. */
  getSensitiveVariable(name: string): string | undefined;
  /** Read without echoing the value into the debug log (task-lib's own getTaskVariable would). */
  getTaskVariable(name: string): string | undefined;
  /** Visible only to this task's post-job step; `secret` also masks the value in the agent's log. */
  setTaskVariable(name: string, value: string, secret?: boolean): void;
  getEndpointUrl(id: string): string | undefined;
  getEndpointData(id: string, key: string): string | undefined;
  /** Throws `MalformedEndpointError` when the agent handed over authorization that is not JSON. */
  getEndpointAuthorization(id: string): EndpointAuthorization | undefined;
  getAgentProxy(): AgentProxy | undefined;
  setSecret(value: string): void;
  setVariable(name: string, value: string, options: VariableOptions): void;
  /** Puts a folder first on PATH for the later steps of the job. */
  prependPath(path: string): void;
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  fail(message: string): void;
}

export class MalformedEndpointError extends Error {
  constructor(readonly endpointId: string) {
    super(`The authorization of service connection '${endpointId}' is not valid JSON.`);
    this.name = 'MalformedEndpointError';
  }
}

export function parseAuthorization(id: string, raw: unknown): EndpointAuthorization {
  if (typeof raw !== 'object' || raw === null) throw new MalformedEndpointError(id);
  const scheme = field(raw, 'scheme');
  const parameters = field(raw, 'parameters');
  const parsed: Record<string, string> = {};
  if (typeof parameters === 'object' && parameters !== null) {
    for (const [key, value] of Object.entries(parameters)) {
      if (typeof value === 'string') parsed[key] = value;
    }
  } else if (parameters !== undefined) {
    throw new MalformedEndpointError(id);
  }
  return { scheme: typeof scheme === 'string' ? scheme : '', parameters: parsed };
}
