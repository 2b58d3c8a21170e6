// Runs the bundled task the way an agent does: a child process of the task's Node, an agent-shaped environment,
// and ##vso[...] commands parsed from its output.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { readTaskManifest } from '../../scripts/manifests';
import { expectedVariables, inputsOf, matchesPattern, TASK_COMMANDS, TASK_VARIABLES } from './commands';

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
  /** Lines the log viewer would render as formatting (`##[error]`, `##[group]`, …): the task prints none. */
  readonly formatting?: readonly number[];
}

export interface EndpointSpec {
  readonly id: string;
  readonly url?: string;
  readonly scheme: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly data?: Readonly<Record<string, string>>;
}

const TASK_JSON = join(__dirname, '..', '..', '..', 'tasks', 'EntraToken', 'v1', 'task.json');
let aliasNames: ReadonlyMap<string, string> | undefined;

/** The agent hands an input to the task under its task.json name, whichever alias the YAML used. */
export function inputName(nameOrAlias: string): string {
  aliasNames ??= new Map(
    readTaskManifest(TASK_JSON).inputs.flatMap((input) => input.aliases.map((alias) => [alias.toLowerCase(), input.name])),
  );
  return aliasNames.get(nameOrAlias.toLowerCase()) ?? nameOrAlias;
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
    endpoints.push({
      id: 'SYSTEMVSSCONNECTION',
      url: options.collectionUri,
      scheme: 'OAuth',
      parameters: { AccessToken: options.jobToken },
    });
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
  for (const [name, value] of Object.entries(options.inputs)) env[`INPUT_${inputName(name).toUpperCase()}`] = value;
  return { ...env, ...options.extra };
}

function unescapeData(value: string): string {
  return value
    .replace(/%0D/g, '\r')
    .replace(/%0A/g, '\n')
    .replace(/%5D/g, ']')
    .replace(/%3B/g, ';')
    .replace(/%AZP25/g, '%');
}

const COMMAND_PREFIX = '##vso[';

/**
 * A line's command as the agent finds it (Command.TryParse): the first `##vso[` anywhere in the line, up to the
 * next `]`; `area.event` must have exactly two non-empty parts; the rest of the line is the message. Ignorable
 * characters are skipped as the agent's culture-aware search skips them.
 */
export function parseCommand(raw: string, line: number): LogCommand | undefined {
  // The agent's IndexOf is culture-aware: it skips zero-width and other ignorable characters, so must we.
  const text = raw.replace(/[\p{Cf}\u0000]/gu, '');
  const start = text.indexOf(COMMAND_PREFIX);
  if (start < 0) return undefined;
  const end = text.indexOf(']', start);
  if (end < 0) return undefined;
  const info = text.slice(start + COMMAND_PREFIX.length, end);
  const space = info.indexOf(' ');
  const name = space < 0 ? info : info.slice(0, space);
  const parts = name.split('.').filter((part) => part !== '');
  if (parts.length !== 2) return undefined;
  const properties: Record<string, string> = {};
  if (space > 0) {
    for (const pair of info.slice(space + 1).split(';')) {
      const separator = pair.indexOf('=');
      if (separator > 0) properties[pair.slice(0, separator)] = unescapeData(pair.slice(separator + 1));
    }
  }
  return { area: parts.join('.'), properties, message: unescapeData(text.slice(end + 1)), line };
}

/** Whether the log viewer renders the line as formatting rather than text. */
export function isFormatting(text: string): boolean {
  return text.trimStart().startsWith('##[');
}

/** The agent splits a task's output at CR, LF and CRLF alike. */
export function splitLines(output: string): string[] {
  return output.split(/\r\n|\r|\n/).filter((line) => line !== '');
}

export function toRun(exitCode: number | null, output: string, stderr = ''): TaskRun {
  const lines = splitLines(output);
  const commands = lines.flatMap((text, index) => parseCommand(text, index) ?? []);
  const formatting = lines.flatMap((text, index) => (isFormatting(text) ? [index] : []));
  return { exitCode, lines, commands, stderr, formatting };
}

/**
 * Fails when the run holds anything the task does not say itself: a command outside its own areas (or not at the
 * start of its line), a formatting line, a variable its inputs do not ask for, or a task variable it does not use.
 */
export function assertOnlyTaskCommands(run: TaskRun, inputs: Readonly<Record<string, string | undefined>>): void {
  const allowed = expectedVariables(inputs);
  const problems: string[] = [];
  for (const command of run.commands) {
    const text = run.lines[command.line] ?? '';
    if (!TASK_COMMANDS.has(command.area)) problems.push(`command ${command.area}`);
    else if (!text.startsWith(COMMAND_PREFIX)) problems.push(`${command.area} in the middle of a line`);
    const variable = command.properties.variable ?? '';
    if (command.area === 'task.setvariable' && !allowed.some((pattern) => matchesPattern(variable, pattern)))
      problems.push(`variable ${variable}`);
    if (command.area === 'task.settaskvariable' && !TASK_VARIABLES.includes(variable)) problems.push(`task variable ${variable}`);
    // Only the docker credential helper's folder goes on PATH, and only with the token service and a registry.
    if (command.area === 'task.prependpath' && !(/^true$/i.test(inputs.tokenService?.trim() ?? '') && inputs.containerRegistries?.trim()))
      problems.push(`prependpath ${command.message}`);
  }
  for (const index of run.formatting ?? []) problems.push(`formatting ${JSON.stringify(run.lines[index])}`);
  if (problems.length > 0) {
    const lines = [...new Set([...run.commands.map((c) => c.line), ...(run.formatting ?? [])])].map((i) => run.lines[i] ?? '');
    throw new Error(`unexpected agent commands in the task's output: ${problems.join('; ')}\n${lines.join('\n')}`);
  }
}

/** A finished run from what the task printed: the agent shows both streams, so stderr is part of the log too. */
/** stderr is part of the log too: the agent shows both streams. */
export function taskRunFrom(exitCode: number | null, stdout: string, stderr: string): TaskRun {
  return toRun(exitCode, `${stdout}\n${stderr}`, stderr);
}

/** Every run, under any Node: a runtime warning in the log is a defect (a deprecated API, a leaked listener). */
export function assertNoRuntimeWarnings(run: TaskRun, runtime: string): void {
  const warnings = runtimeWarnings(run.stderr);
  if (warnings.length > 0) throw new Error(`Node printed a warning while running the task (${runtime}):\n${warnings.join('\n')}`);
}

export const POST_BUNDLE = join(BUNDLE, '..', 'post.js');

/** The post-job step as the agent runs it: with the task variables its main step set, as VSTS_TASKVARIABLE_<NAME>. */
export function runPostJob(main: TaskRun, tempDirectory: string, workingDirectory: string): Promise<TaskRun> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    AGENT_TEMPDIRECTORY: tempDirectory,
    AGENT_VERSION: '4.260.0',
    SYSTEM_DEBUG: 'true',
  };
  for (const command of main.commands) {
    const variable = command.properties.variable;
    if (command.area === 'task.settaskvariable' && variable !== undefined)
      env[`VSTS_TASKVARIABLE_${variable.replace(/\./g, '_').toUpperCase()}`] = command.message;
  }
  return runTask(env, workingDirectory, POST_BUNDLE);
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
        assertOnlyTaskCommands(run, inputsOf(env));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      resolve(run);
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
