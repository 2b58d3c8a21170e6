// Entry point of the bundle. The same file is the task, the background token service, and git's credential
// helper; each mode loads only what it needs (the service and the helper never load task-lib).
const mode = process.argv[2];

if (mode === '--token-service') void import('./token-service/main.js');
else if (mode === '--git-credential') void import('./token-service/git-credential.js');
else void import('./task.js');
