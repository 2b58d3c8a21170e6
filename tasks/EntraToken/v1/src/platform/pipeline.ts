// The only module that imports azure-pipelines-task-lib: it implements the `Pipeline` port, so no other module
// can accidentally echo a secret through task-lib, and unit tests never load it. task-lib is loaded when a
// pipeline is created, not on import: it scrubs the environment and writes a vault key as it loads, which the
// token service and git's credential helper (the same bundle) must not do.
//
// Every line this port prints is neutralised (common/neutralise.ts): no text from outside the task can become
// an agent command, a formatting line or a second line. task-lib's readers echo what they return into the debug
// log unneutralised (inputs, endpoint URLs and data, variables), so the port reads task-lib's vault and the
// environment itself and echoes a neutralised copy. The task's own commands come only from task-lib's command
// functions below, with names and values the task chose.
import type * as TaskLibModule from 'azure-pipelines-task-lib/task';
import type * as InternalModule from 'azure-pipelines-task-lib/internal';
import { MalformedEndpointError, parseAuthorization, type AgentProxy, type EndpointAuthorization, type Pipeline } from './port';
import { parseJson, stringArray } from '../common/json';
import { neutralise } from '../common/neutralise';

type TaskLib = typeof TaskLibModule;
type Internal = typeof InternalModule;

function variableKey(name: string): string {
  return name.replace(/[. ]/g, '_').toUpperCase();
}

/** Reads what task-lib's readers read, without their echo. */
function quietReader(internal: Internal, debug: (message: string) => void) {
  const echo = (what: string, value: string | undefined): string | undefined => {
    debug(`${what}=${value ?? ''}`);
    return value;
  };
  const isSecret = (name: string): boolean => internal._knownVariableMap[variableKey(name)]?.secret === true;
  return {
    input: (name: string) => echo(`input ${name}`, internal._vault.retrieveSecret(`INPUT_${variableKey(name)}`) ?? undefined),
    variable: (name: string) => {
      if (isSecret(name)) return internal._vault.retrieveSecret(`SECRET_${variableKey(name)}`) ?? undefined;
      return echo(`variable ${name}`, process.env[variableKey(name)]);
    },
    sensitiveVariable: (name: string) => internal._vault.retrieveSecret(`SECRET_${variableKey(name)}`) ?? process.env[variableKey(name)],
    // Not echoed: the token service's record holds the control secret that stops it.
    taskVariable: (name: string) => internal._vault.retrieveSecret(`VSTS_TASKVARIABLE_${variableKey(name)}`)?.trim(),
    endpointUrl: (id: string) => echo(`endpoint ${id} url`, process.env[`ENDPOINT_URL_${id}`]),
    endpointData: (id: string, key: string) => echo(`endpoint ${id} data ${key}`, process.env[`ENDPOINT_DATA_${id}_${key.toUpperCase()}`]),
    endpointAuthorization: (id: string): EndpointAuthorization | undefined => {
      const raw = internal._vault.retrieveSecret(`ENDPOINT_AUTH_${id}`);
      if (!raw) return undefined;
      // task-lib's own parse error would quote the raw authorization, secrets included: parse here instead.
      const parsed = parseJson(raw);
      if (parsed === undefined) throw new MalformedEndpointError(id);
      return parseAuthorization(id, parsed);
    },
  };
}

type QuietReader = ReturnType<typeof quietReader>;

function readAgentProxy(read: QuietReader): AgentProxy | undefined {
  const url = read.variable('Agent.ProxyUrl');
  if (!url) return undefined;
  const password = read.sensitiveVariable('Agent.ProxyPassword');
  const username = read.variable('Agent.ProxyUsername');
  const bypass = stringArray(parseJson(read.variable('Agent.ProxyBypassList'))) ?? [];
  return { url, username, password, bypass };
}

function printer(tl: TaskLib) {
  return {
    debug: (message: string) => {
      tl.debug(neutralise(message));
    },
    info: (message: string) => {
      console.log(neutralise(message));
    },
    warning: (message: string) => {
      tl.warning(neutralise(message));
    },
    // task-lib prints the message after the `]` of both `task.issue` and `task.complete`: neutralise it once here.
    fail: (message: string) => {
      tl.setResult(tl.TaskResult.Failed, neutralise(message));
      // task-lib only prints the result; a non-zero exit code makes the failure visible to any caller.
      process.exitCode = 1;
    },
  };
}

export async function createTaskLibPipeline(): Promise<Pipeline> {
  const tl = await import('azure-pipelines-task-lib/task.js');
  const internal = await import('azure-pipelines-task-lib/internal.js');
  const print = printer(tl);
  const read = quietReader(internal, print.debug);
  return {
    ...print,
    getInput: read.input,
    getVariable: read.variable,
    getSensitiveVariable: read.sensitiveVariable,
    getTaskVariable: read.taskVariable,
    setTaskVariable: (name, value, secret = false) => {
      // tl.setTaskVariable echoes a non-secret value into the debug log; the service's record is emitted alone.
      if (secret) tl.setTaskVariable(name, value, true);
      else tl.command('task.settaskvariable', { variable: name, issecret: 'false' }, value);
    },
    getEndpointUrl: read.endpointUrl,
    getEndpointData: read.endpointData,
    getEndpointAuthorization: read.endpointAuthorization,
    getAgentProxy: () => readAgentProxy(read),
    setSecret: (value) => {
      tl.setSecret(value);
    },
    // The command alone: tl.prependPath also demands an agent version check this task does elsewhere.
    prependPath: (path) => {
      tl.command('task.prependpath', null, path);
    },
    setVariable: (name, value, options) => {
      if (options.secret) {
        tl.setVariable(name, value, true, options.isOutput);
        return;
      }
      // tl.setVariable echoes a non-secret value into the debug log; tool configuration holds the token, so emit
      // the command alone.
      tl.command('task.setvariable', { variable: name, isOutput: String(options.isOutput), issecret: 'false' }, value);
    },
  };
}
