// A typed, hand-written fake of the Pipeline port: records what the task would print and set.
import type { AgentProxy, EndpointAuthorization, Pipeline, VariableOptions } from '../../../../tasks/EntraToken/v1/src/platform/port';
import { MalformedEndpointError } from '../../../../tasks/EntraToken/v1/src/platform/port';

export interface RecordedVariable extends VariableOptions {
  readonly name: string;
  readonly value: string;
}

export interface FakeEndpoint {
  readonly authorization?: EndpointAuthorization | 'malformed';
  readonly data?: Readonly<Record<string, string>>;
  readonly url?: string;
}

export class FakePipeline implements Pipeline {
  readonly log: string[] = [];
  readonly secrets: string[] = [];
  readonly variables: RecordedVariable[] = [];
  readonly failures: string[] = [];
  readonly taskVariables = new Map<string, string>();
  readonly secretTaskVariables = new Set<string>();
  readonly paths: string[] = [];

  constructor(
    private readonly inputs: Readonly<Record<string, string>> = {},
    private readonly endpoints: Readonly<Record<string, FakeEndpoint>> = {},
    private readonly pipelineVariables: Readonly<Record<string, string>> = {},
    private readonly agentProxy?: AgentProxy,
  ) {}

  getInput(name: string): string | undefined {
    return this.inputs[name];
  }
  getVariable(name: string): string | undefined {
    return this.pipelineVariables[name];
  }
  getSensitiveVariable(name: string): string | undefined {
    return this.pipelineVariables[name];
  }
  getTaskVariable(name: string): string | undefined {
    return this.taskVariables.get(name);
  }
  setTaskVariable(name: string, value: string, secret = false): void {
    this.taskVariables.set(name, value);
    if (secret) this.secretTaskVariables.add(name);
  }
  getEndpointUrl(id: string): string | undefined {
    return this.endpoints[id]?.url;
  }
  getEndpointData(id: string, key: string): string | undefined {
    return this.endpoints[id]?.data?.[key];
  }
  getEndpointAuthorization(id: string): EndpointAuthorization | undefined {
    const authorization = this.endpoints[id]?.authorization;
    if (authorization === 'malformed') throw new MalformedEndpointError(id);
    return authorization;
  }
  getAgentProxy(): AgentProxy | undefined {
    return this.agentProxy;
  }
  prependPath(path: string): void {
    this.paths.push(path);
  }
  setSecret(value: string): void {
    this.secrets.push(value);
    this.log.push(`setSecret`);
  }
  setVariable(name: string, value: string, options: VariableOptions): void {
    this.variables.push({ name, value, ...options });
  }
  debug(message: string): void {
    this.log.push(`debug: ${message}`);
  }
  info(message: string): void {
    this.log.push(message);
  }
  warning(message: string): void {
    this.log.push(`warning: ${message}`);
  }
  fail(message: string): void {
    this.failures.push(message);
  }
}

/** An unsigned JWT-shaped string with the given claims, minted at run time. */
export function unsignedJwt(claims: Readonly<Record<string, unknown>>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'none' })}.${encode(claims)}.signature`;
}
