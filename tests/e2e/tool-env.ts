// Builds the environment a later pipeline step gets from what the task set, and runs real tools in it,
// isolated from this machine's own git, npm and pip configuration.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { testTempDir } from '../temp';
import { variables, type TaskRun } from './agent';

/**
 * The agent turns a job variable into an environment variable (upper case, dots as underscores), and puts each
 * `task.prependpath` folder in front of PATH, the last one first.
 */
export function laterStepEnvironment(run: TaskRun): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, variable] of variables(run)) {
    if (!variable.secret && !variable.isOutput) env[name.replace(/[. ]/g, '_').toUpperCase()] = variable.value;
  }
  const prepended = run.commands.filter((command) => command.area === 'task.prependpath').map((command) => command.message);
  if (prepended.length > 0) env.PATH = [...prepended.reverse(), process.env.PATH ?? ''].join(delimiter);
  return env;
}

export interface ToolResult {
  readonly code: number;
  readonly output: string;
}

export function runTool(command: string, args: readonly string[], env: Record<string, string>, cwd: string): Promise<ToolResult> {
  return new Promise((resolve) => {
    execFile(command, args, { env, cwd, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

/** A clean environment for git, npm and pip: nothing from this machine's configuration leaks in. */
export function isolatedEnvironment(caFile: string): Record<string, string> {
  const home = testTempDir('entra-tool-home-');
  const emptyConfig = join(home, 'empty-npmrc');
  writeFileSync(emptyConfig, '');
  return {
    PATH: process.env.PATH ?? '',
    HOME: home,
    LANG: 'C.UTF-8',
    GIT_SSL_CAINFO: caFile,
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    npm_config_globalconfig: emptyConfig,
    npm_config_userconfig: emptyConfig,
    npm_config_cafile: caFile,
    npm_config_cache: join(home, 'npm-cache'),
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_fetch_retries: '0',
    PIP_CONFIG_FILE: '/dev/null',
    PIP_CERT: caFile,
    PIP_NO_INPUT: '1',
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
    PIP_NO_CACHE_DIR: '1',
  };
}
