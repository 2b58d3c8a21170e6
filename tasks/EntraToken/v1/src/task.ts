// Composition root of the task: build the real parts, run once, and turn any failure into one clear line.
import { createEntraExchanger } from './token/exchange';
import { createHttpSender, type HttpContext } from './http/sender';
import { RequestJournal } from './http/journal';
import { readLimits } from './http/limits';
import { TaskError, messages } from './common/messages';
import { createTaskLibPipeline } from './platform/pipeline';
import { describeFailure, run } from './run';
import { SecretRegistry } from './common/secrets';
import { gitCredentialHelper } from './token-service/export';
import { createServiceLauncher } from './token-service/launch';
import { createAccessVerifier } from './outputs/verify-access';

/**
 * All the token service may see of the task's environment: never its inputs or endpoints. The agent's orphan
 * cleanup after the job ends every process that carries this job's VSTS_PROCESS_LOOKUP_ID.
 */
const SERVICE_ENVIRONMENT = ['PATH', 'NODE_EXTRA_CA_CERTS', 'HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy', 'AZURE_AUTHORITY_HOST', 'VSTS_PROCESS_LOOKUP_ID', 'SystemRoot'];

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
      const outcome = attempt.status === undefined ? attempt.error ?? 'no answer' : `HTTP ${attempt.status}`;
      pipeline.debug(messages.requestLog(attempt.method, attempt.host, attempt.path, outcome, attempt.ms));
      if (willRetry) pipeline.warning(messages.retrying(attempt.host, outcome, attempt.attempt, limits.maxRetries + 1));
    },
  });
  const agentProxy = pipeline.getAgentProxy();
  const context: HttpContext = { agentProxy, limits, deadline, attemptPolicy: journal.policy() };

  // The step must never sit until the job timeout, whatever a server or proxy does; requests abort at the
  // deadline, and this timer is the backstop (a little later, so their own message wins).
  const backstop = setTimeout(() => {
    pipeline.fail(messages.timedOut(Math.round(limits.taskTimeoutMs / 1000)));
    process.exit(1);
  }, limits.taskTimeoutMs + 2_000).unref();

  try {
    await run({
      pipeline,
      secrets,
      send: createHttpSender(context),
      exchange: createEntraExchanger(context),
      verify: createAccessVerifier(context),
      launchService: createServiceLauncher({
        bundlePath,
        agentPid: process.ppid,
        limits,
        agentProxy,
        environment: Object.fromEntries(SERVICE_ENVIRONMENT.flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : []))),
      }),
      gitCredentialHelper: gitCredentialHelper(process.execPath, bundlePath),
      journal,
      authorityHostVariable: process.env.AZURE_AUTHORITY_HOST,
    });
  } catch (error) {
    if (error instanceof Error && !(error instanceof TaskError) && error.stack) pipeline.debug(secrets.redact(error.stack));
    pipeline.fail(describeFailure(error, secrets));
  } finally {
    clearTimeout(backstop);
  }
}
