// Composition root: build the real parts, run once, and turn any failure into one clear line.
import { createEntraExchanger } from './exchange';
import { createHttpSender } from './http';
import { TaskError, messages } from './messages';
import { createTaskLibPipeline } from './pipeline';
import { describeFailure, run } from './run';
import { SecretRegistry } from './secrets';

const TASK_DEADLINE_SECONDS = 180;
const REQUEST_POLICY = { timeoutMs: 30_000, maxRetries: 3, maxRetryDelayMs: 8_000 };

const pipeline = createTaskLibPipeline();
const secrets = new SecretRegistry(pipeline);
const agentProxy = pipeline.getAgentProxy();

// The step must never sit until the job timeout, whatever a server or proxy does.
const deadline = setTimeout(() => {
  pipeline.fail(messages.timedOut(TASK_DEADLINE_SECONDS));
  process.exit(1);
}, TASK_DEADLINE_SECONDS * 1000).unref();

run({
  pipeline,
  secrets,
  send: createHttpSender(agentProxy, REQUEST_POLICY),
  exchange: createEntraExchanger(agentProxy, { ...REQUEST_POLICY, timeoutMs: 90_000 }),
  authorityHostVariable: process.env.AZURE_AUTHORITY_HOST,
})
  .catch((error: unknown) => {
    if (error instanceof Error && !(error instanceof TaskError) && error.stack) pipeline.debug(secrets.redact(error.stack));
    pipeline.fail(describeFailure(error, secrets));
  })
  .finally(() => {
    clearTimeout(deadline);
  });
