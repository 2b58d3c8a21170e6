// Post-job entry point: stops the token service and removes what the main step left for tools.
// It never fails the job over cleanup.
import { removeToolFiles } from './adapters/cleanup';
import { createTaskLibPipeline } from './pipeline';
import { stopTokenService } from './token-service/stop';

const pipeline = createTaskLibPipeline();
stopTokenService(pipeline)
  .catch((error: unknown) => {
    pipeline.warning(`EntraToken could not stop its token service: ${error instanceof Error ? error.message : String(error)}`);
  })
  .finally(() => {
    try {
      removeToolFiles(pipeline);
    } catch (error) {
      pipeline.warning(`EntraToken could not clean up: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
