// Post-job entry point: stops the token service and removes what the main step left for tools.
// It never fails the job over cleanup.
import { removeToolFiles } from './tools/cleanup';
import { createTaskLibPipeline } from './platform/pipeline';
import { stopTokenService } from './token-service/stop';
import { exitWhenFlushed } from './platform/exit';

function detail(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function runPostJob(): Promise<void> {
  const pipeline = await createTaskLibPipeline();
  try {
    await stopTokenService(pipeline);
  } catch (error) {
    pipeline.warning(`EntraToken could not stop its token service: ${detail(error)}`);
  }
  try {
    removeToolFiles(pipeline);
  } catch (error) {
    pipeline.warning(`EntraToken could not clean up: ${detail(error)}`);
  }
}

// Exits once done: a request or timer left behind by a library must not hold the job's last step open.
void runPostJob().finally(exitWhenFlushed);
