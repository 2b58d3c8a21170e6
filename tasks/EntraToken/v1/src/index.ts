// Entry point of the bundle. The same file is the task, the background token service, and git's and docker's
// credential helpers; only the task creates a task-lib pipeline (see pipeline.ts).
import { runTask } from './task';
import { runDockerCredentialHelper } from './token-service/docker-credential';
import { runGitCredentialHelper } from './token-service/git-credential';
import { runTokenService } from './token-service/main';

const mode = process.argv[2];
const bundlePath = process.argv[1] ?? __filename;

if (mode === '--token-service') runTokenService();
else if (mode === '--git-credential') runGitCredentialHelper();
else if (mode === '--docker-credential') runDockerCredentialHelper();
else void runTask(bundlePath);
