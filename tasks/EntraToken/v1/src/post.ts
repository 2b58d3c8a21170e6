// Post-job entry point: stops the token service and removes what the main step left for tools.
// It never fails the job over cleanup, and never prints a stack trace: at most one warning line per part.
import { removeToolFiles } from './tools/cleanup';
import { createTaskLibPipeline } from './platform/pipeline';
import { stopTokenService } from './token-service/stop';

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

runPostJob().catch((error: unknown) => {
  console.log(`##vso[task.logissue type=warning]EntraToken post-job step: ${detail(error).replace(/[\r\n]+/g, ' ')}`);
});
