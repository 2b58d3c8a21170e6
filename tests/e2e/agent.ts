// Runs the bundled task the way an agent does: a child process of the task's Node, an agent-shaped environment,
// and ##vso[...] commands parsed from its output.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export const BUNDLE = join(__dirname, '..', '..', '..', 'tasks', 'EntraToken', 'v1', 'dist', 'index.js');

/**
 * The Node that runs the task: ENTRATOKEN_TEST_NODE (the Node 24 lane points it at Node 24, the runtime of the
 * Node24 handler), else the Node that runs mocha.
 */
export const TASK_NODE = process.env.ENTRATOKEN_TEST_NODE ?? process.execPath;

/** A warning Node itself printed, e.g. `(node:123) [DEP0169] DeprecationWarning: …`: a pipeline log shows it too. */
export function runtimeWarnings(stderr: string): string[] {
  return stderr.split(/\r?\n/).filter((line) => /^\(node:\d+\) (?:\[\w+\] )?\w*Warning: /.test(line));
}

export interface LogCommand {
  readonly area: string;
  readonly properties: Readonly<Record<string, string>>;
  readonly message: string;
  readonly line: number;
}

export interface TaskRun {
  readonly exitCode: number | null;
  readonly lines: readonly string[];
  readonly commands: readonly LogCommand[];
  readonly stderr: string;
}

export interface EndpointSpec {
  readonly id: string;
  readonly url?: string;
  readonly scheme: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly data?: Readonly<Record<string, string>>;
}

/** The environment an agent gives a Node task for the job token and one service connection. */
export function agentEnvironment(options: {
  readonly tempDirectory: string;
  readonly oidcRequestUri?: string;
  readonly collectionUri: string;
  readonly jobToken?: string;
  readonly endpoints: readonly EndpointSpec[];
  readonly inputs: Readonly<Record<string, string>>;
  readonly extra?: Readonly<Record<string, string>>;
}): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    AGENT_TEMPDIRECTORY: options.tempDirectory,
    AGENT_VERSION: '4.260.0',
    SYSTEM_COLLECTIONURI: options.collectionUri,
    SYSTEM_TEAMFOUNDATIONCOLLECTIONURI: options.collectionUri,
    SYSTEM_HOSTTYPE: 'build',
    SYSTEM_SERVERTYPE: 'Hosted',
  };
  if (options.oidcRequestUri !== undefined) env.SYSTEM_OIDCREQUESTURI = options.oidcRequestUri;
  const endpoints = [...options.endpoints];
  if (options.jobToken !== undefined) {
    endpoints.push({ id: 'SYSTEMVSSCONNECTION', url: options.collectionUri, scheme: 'OAuth', parameters: { AccessToken: options.jobToken } });
  }
  for (const endpoint of endpoints) {
    if (endpoint.url !== undefined) env[`ENDPOINT_URL_${endpoint.id}`] = endpoint.url;
    env[`ENDPOINT_AUTH_${endpoint.id}`] = JSON.stringify({ parameters: endpoint.parameters, scheme: endpoint.scheme });
    env[`ENDPOINT_AUTH_SCHEME_${endpoint.id}`] = endpoint.scheme;
    for (const [key, value] of Object.entries(endpoint.parameters)) {
      env[`ENDPOINT_AUTH_PARAMETER_${endpoint.id}_${key.toUpperCase()}`] = value;
    }
    for (const [key, value] of Object.entries(endpoint.data ?? {})) {
      env[`ENDPOINT_DATA_${endpoint.id}_${key.toUpperCase()}`] = value;
    }
  }
  for (const [name, value] of Object.entries(options.inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return { ...env, ...options.extra };
}

function unescapeData(value: string): string {
  return value.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%5D/g, ']').replace(/%3B/g, ';').replace(/%AZP25/g, '%');
}

export function parseCommand(text: string, line: number): LogCommand | undefined {
  const match = /^##vso\[([A-Za-z0-9.]+)((?: [^\]]*)?)\](.*)$/.exec(text);
  if (!match) return undefined;
  const properties: Record<string, string> = {};
  for (const pair of (match[2] ?? '').trim().split(';')) {
    const separator = pair.indexOf('=');
    if (separator > 0) properties[pair.slice(0, separator).trim()] = unescapeData(pair.slice(separator + 1));
  }
  return { area: match[1] ?? '', properties, message: unescapeData(match[3] ?? ''), line };
}

/** A finished run from what the task printed: the agent shows both streams, so stderr is part of the log too. */
export function taskRunFrom(exitCode: number | null, stdout: string, stderr: string): TaskRun {
  const lines = `${stdout}\n${stderr}`.split(/\r?\n/).filter((line) => line !== '');
  const commands = lines.flatMap((text, index) => parseCommand(text, index) ?? []);
  return { exitCode, lines, commands, stderr };
}

/** Every run, under any Node: a runtime warning in the log is a defect (a deprecated API, a leaked listener). */
export function assertNoRuntimeWarnings(run: TaskRun, runtime: string): void {
  const warnings = runtimeWarnings(run.stderr);
  if (warnings.length > 0) throw new Error(`Node printed a warning while running the task (${runtime}):\n${warnings.join('\n')}`);
}

export function runTask(env: Readonly<Record<string, string>>, cwd: string, bundle = BUNDLE): Promise<TaskRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(TASK_NODE, [bundle], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (exitCode) => {
      const run = taskRunFrom(exitCode, stdout, stderr);
      try {
        assertNoRuntimeWarnings(run, TASK_NODE);
        resolve(run);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}

export interface ExportedVariable {
  readonly value: string;
  readonly secret: boolean;
  readonly isOutput: boolean;
}

export function variables(run: TaskRun): Map<string, ExportedVariable> {
  const result = new Map<string, ExportedVariable>();
  for (const command of run.commands.filter((c) => c.area === 'task.setvariable')) {
    const isOutput = command.properties.isOutput === 'true';
    const key = `${isOutput ? 'output:' : ''}${command.properties.variable ?? ''}`;
    result.set(key, { value: command.message, secret: command.properties.issecret === 'true', isOutput });
  }
  return result;
}

/** The message of the `task.complete` command, or undefined when the task did not fail. */
export function failure(run: TaskRun): string | undefined {
  const complete = run.commands.find((c) => c.area === 'task.complete' && c.properties.result === 'Failed');
  return complete?.message;
}

/** What the agent's log viewer would show: debug lines hidden (unless asked), secrets masked as ***. */
export function renderLog(run: TaskRun, options: { debug?: boolean } = {}): string[] {
  const secrets: string[] = [];
  const mask = (text: string) => secrets.reduce((masked, secret) => masked.split(secret).join('***'), text);
  const shown: string[] = [];
  run.lines.forEach((text, index) => {
    const command = run.commands.find((c) => c.line === index);
    if (!command) {
      shown.push(mask(text));
      return;
    }
    if (command.area === 'task.setsecret') secrets.push(command.message);
    if (command.area === 'task.setvariable') {
      if (command.properties.issecret === 'true') secrets.push(command.message);
      const kind = `${command.properties.isOutput === 'true' ? 'output' : 'job'} variable${command.properties.issecret === 'true' ? ', secret' : ''}`;
      shown.push(`[set ${kind}] ${command.properties.variable ?? ''} = ${mask(command.message)}`);
    }
    if (command.area === 'task.issue') shown.push(`##[${command.properties.type ?? 'issue'}]${mask(command.message)}`);
    if (command.area === 'task.debug' && options.debug === true) shown.push(`##[debug]${mask(command.message)}`);
    if (command.area === 'task.complete') shown.push(`[result] ${command.properties.result ?? ''}`);
    secrets.sort((a, b) => b.length - a.length);
  });
  return shown;
}
