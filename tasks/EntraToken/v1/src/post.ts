// Post-job entry point: stops the token service and removes what the main step left for tools.
// It never fails the job over cleanup, and never prints a stack trace: at most one warning line per part.
import { mkdirSync } from 'node:fs';
import { removeToolFiles } from './tools/cleanup';
import { createTaskLibPipeline } from './platform/pipeline';
import { stopTokenService } from './token-service/stop';
import { exitWhenFlushed } from './platform/exit';

function detail(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** task-lib writes its vault key into Agent.TempDirectory as it loads; a step that deleted it must not stop us. */
function ensureTempDirectory(): void {
  const directory = process.env.AGENT_TEMPDIRECTORY;
  if (directory === undefined || directory === '') return;
  try {
    mkdirSync(directory, { recursive: true });
  } catch {
    // task-lib then reports it itself, in one line below.
  }
}

async function runPostJob(): Promise<void> {
  ensureTempDirectory();
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
void runPostJob()
  .catch((error: unknown) => {
    console.log(`##vso[task.logissue type=warning]EntraToken post-job step: ${detail(error).replace(/[\r\n]+/g, ' ')}`);
  })
  .finally(exitWhenFlushed);
