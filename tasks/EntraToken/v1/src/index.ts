// Entry point of the bundle. The same file is the task, the background token service and git's credential
// helper; only the task creates a task-lib pipeline (see pipeline.ts).
import { runTask } from './task';
import { runGitCredentialHelper } from './token-service/git-credential';
import { runTokenService } from './token-service/main';

const mode = process.argv[2];
const bundlePath = process.argv[1] ?? __filename;

if (mode === '--token-service') runTokenService();
else if (mode === '--git-credential') runGitCredentialHelper();
else void runTask(bundlePath);
