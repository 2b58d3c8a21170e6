// Composition root of the task: build the real parts, run once, and turn any failure into one clear line.
import { createEntraExchanger } from './token/exchange';
import { retryWhenIssuerUnreachable } from './token/issuer-retry';
import { createHttpSender, type HttpContext } from './http/sender';
import { RequestJournal } from './http/journal';
import { readLimits } from './http/limits';
import { TaskError, messages } from './common/messages';
import { createTaskLibPipeline } from './platform/pipeline';
import { describeFailure, run } from './run';
import { SecretRegistry } from './common/secrets';
import { gitCredentialHelper } from './token-service/export';
import { DOCKER_HELPER_SUFFIX, dockerCredentialHelperScript } from './token-service/docker-helper-script';
import { createServiceLauncher, stopStartedService } from './token-service/launch';
import { createAccessVerifier } from './outputs/verify-access';
import { exitWhenFlushed } from './platform/exit';
import type { Pipeline } from './platform/port';

/**
 * All the token service may see of the task's environment: never its inputs or endpoints. The agent's orphan
 * cleanup after the job ends every process that carries this job's VSTS_PROCESS_LOOKUP_ID.
 */
const SERVICE_ENVIRONMENT = [
  'PATH',
  'NODE_EXTRA_CA_CERTS',
  'HTTPS_PROXY',
  'https_proxy',
  'NO_PROXY',
  'no_proxy',
  'AZURE_AUTHORITY_HOST',
  'VSTS_PROCESS_LOOKUP_ID',
  'SystemRoot',
];

export async function runTask(bundlePath: string): Promise<void> {
  const pipeline = await createTaskLibPipeline();
  const secrets = new SecretRegistry(pipeline);
  const limits = readLimits(process.env);
  const deadline = Date.now() + limits.taskTimeoutMs;
  const journal = new RequestJournal({
    requestTimeoutMs: limits.requestTimeoutMs,
    maxRetries: limits.maxRetries,
    deadline,
    onAttempt: (attempt, willRetry) => {
      const outcome = attempt.status === undefined ? (attempt.error ?? 'no answer') : `HTTP ${attempt.status}`;
      pipeline.debug(messages.requestLog(attempt.method, attempt.host, attempt.path, outcome, attempt.ms));
      if (willRetry) pipeline.warning(messages.retrying(attempt.host, outcome, attempt.attempt, limits.maxRetries + 1));
    },
  });
  const agentProxy = pipeline.getAgentProxy();
  const deadlineSignal = AbortSignal.timeout(limits.taskTimeoutMs);
  const context: HttpContext = { agentProxy, limits, deadline, deadlineSignal, attemptPolicy: journal.policy() };

  // One outcome per run: the first to arrive (the run's own, or the deadline) prints its line, later steps can no
  // longer export anything, and the process ends as soon as the output is out.
  let finished = false;
  const finish = (failureMessage?: string): void => {
    if (finished) return;
    finished = true;
    if (failureMessage !== undefined) pipeline.fail(failureMessage);
    exitWhenFlushed();
  };
  const timedOut = (): void => {
    finish(messages.timedOut(Math.round(limits.taskTimeoutMs / 1000)));
  };
  // The hard upper bound, whatever a server, proxy or library does; requests abort on deadlineSignal at the same time.
  // A referenced timer: it also keeps the process from ending silently if every handle went away mid-run.
  setTimeout(timedOut, limits.taskTimeoutMs);
  const exports: Pipeline = {
    ...pipeline,
    setVariable: (name, value, options) => {
      if (!finished) pipeline.setVariable(name, value, options);
    },
    setTaskVariable: (name, value, secret) => {
      if (!finished) pipeline.setTaskVariable(name, value, secret);
    },
  };

  try {
    await run({
      pipeline: exports,
      secrets,
      send: createHttpSender(context),
      exchange: retryWhenIssuerUnreachable(createEntraExchanger(context), {
        limits,
        deadline,
        warn: (message) => {
          pipeline.warning(message);
        },
      }),
      verify: createAccessVerifier(context),
      launchService: createServiceLauncher({
        bundlePath,
        agentPid: process.ppid,
        limits,
        agentProxy,
        environment: Object.fromEntries(SERVICE_ENVIRONMENT.flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : []))),
      }),
      stopService: stopStartedService,
      credentialHelpers: {
        git: gitCredentialHelper(process.execPath, bundlePath),
        docker: { suffix: DOCKER_HELPER_SUFFIX, script: dockerCredentialHelperScript(process.execPath, bundlePath) },
      },
      journal,
      authorityHostVariable: process.env.AZURE_AUTHORITY_HOST,
    });
    finish();
  } catch (error) {
    if (deadlineSignal.aborted) {
      timedOut();
      return;
    }
    // The stack of what went wrong underneath, for System.Debug: an unexpected error's own, or a TaskError's cause.
    const underlying = error instanceof TaskError ? error.cause : error;
    if (underlying instanceof Error && underlying.stack) pipeline.debug(secrets.redact(underlying.stack));
    finish(describeFailure(error, secrets));
  }
}
