// The only module that imports azure-pipelines-task-lib: it implements the `Pipeline` port, so no other module
// can accidentally echo a secret through task-lib, and unit tests never load it. task-lib is loaded when a
// pipeline is created, not on import: it scrubs the environment and writes a vault key as it loads, which the
// token service and git's credential helper (the same bundle) must not do.
import type * as TaskLibModule from 'azure-pipelines-task-lib/task';
import type { Vault } from 'azure-pipelines-task-lib/vault';
import { MalformedEndpointError, parseAuthorization, type AgentProxy, type EndpointAuthorization, type Pipeline } from './port';
import { parseJson, stringArray } from '../common/json';

type TaskLib = typeof TaskLibModule;

function readAuthorization(tl: TaskLib, id: string): EndpointAuthorization | undefined {
  let raw: unknown;
  try {
    raw = tl.getEndpointAuthorization(id, true);
  } catch {
    // task-lib's own error quotes the raw authorization, secrets included: never let it through.
    throw new MalformedEndpointError(id);
  }
  if (raw === undefined || raw === null) return undefined;
  return parseAuthorization(id, raw);
}

function readProxyBypass(tl: TaskLib): string[] {
  const raw = tl.getVariable('Agent.ProxyBypassList');
  if (!raw) return [];
  return stringArray(parseJson(raw)) ?? [];
}

function readAgentProxy(tl: TaskLib, vault: Vault): AgentProxy | undefined {
  const url = tl.getVariable('Agent.ProxyUrl');
  if (!url) return undefined;
  // tl.getVariable would echo the password into the debug log; read it from task-lib's vault directly.
  const password = vault.retrieveSecret('SECRET_AGENT_PROXYPASSWORD') ?? undefined;
  const username = tl.getVariable('Agent.ProxyUsername') ?? undefined;
  return { url, username, password, bypass: readProxyBypass(tl) };
}

export async function createTaskLibPipeline(): Promise<Pipeline> {
  const tl = await import('azure-pipelines-task-lib/task.js');
  const { _vault } = await import('azure-pipelines-task-lib/internal.js');
  return {
    getInput: (name) => tl.getInput(name, false),
    getVariable: (name) => tl.getVariable(name),
    getSensitiveVariable: (name) => {
      const key = name.replace(/[. ]/g, '_').toUpperCase();
      return _vault.retrieveSecret(`SECRET_${key}`) ?? process.env[key];
    },
    // tl.getTaskVariable echoes the value into the debug log; the service's record holds its control secret.
    getTaskVariable: (name) => _vault.retrieveSecret(`VSTS_TASKVARIABLE_${name.replace(/[. ]/g, '_').toUpperCase()}`)?.trim(),
    setTaskVariable: (name, value, secret = false) => {
      tl.setTaskVariable(name, value, secret);
    },
    getEndpointUrl: (id) => tl.getEndpointUrl(id, true),
    getEndpointData: (id, key) => tl.getEndpointDataParameter(id, key, true),
    getEndpointAuthorization: (id) => readAuthorization(tl, id),
    getAgentProxy: () => readAgentProxy(tl, _vault),
    setSecret: (value) => {
      tl.setSecret(value);
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
    debug: (message) => {
      tl.debug(message);
    },
    info: (message) => {
      console.log(message);
    },
    warning: (message) => {
      tl.warning(message);
    },
    fail: (message) => {
      tl.setResult(tl.TaskResult.Failed, message);
      // task-lib only prints the result; a non-zero exit code makes the failure visible to any caller.
      process.exitCode = 1;
    },
  };
}
