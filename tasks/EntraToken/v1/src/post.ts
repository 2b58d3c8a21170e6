// Post-job entry point: removes what the main step left for tools. It never fails the job over a file.
import { removeToolFiles } from './adapters/cleanup';
import { createTaskLibPipeline } from './pipeline';

const pipeline = createTaskLibPipeline();
try {
  removeToolFiles(pipeline);
} catch (error) {
  pipeline.warning(`EntraToken could not clean up: ${error instanceof Error ? error.message : String(error)}`);
}
