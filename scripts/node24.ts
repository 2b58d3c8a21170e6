// `npm run test:node24`: the whole end-to-end suite again, with the task (and its token service and git helper)
// run by Node 24, the runtime of the task's Node24 handler. Mocha itself runs on the current Node; the e2e
// harness starts the bundle with ENTRATOKEN_TEST_NODE and fails any run in which Node prints a warning.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { node24 } from '../tests/runtimes';

const ROOT = join(__dirname, '..', '..');

const runtime = node24();
const version = spawnSync(runtime, ['--version'], { encoding: 'utf8' }).stdout.trim();
console.log(`Node 24 lane: the e2e suite with the task on ${runtime} (${version}); mocha on ${process.version}`);
const mocha = spawnSync(
  process.execPath,
  [
    join(ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js'),
    '--no-config',
    '--timeout',
    '30000',
    '--reporter',
    'spec',
    '--require',
    'out/tests/temp.js',
    'out/tests/e2e/**/*.test.js',
  ],
  { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ENTRATOKEN_TEST_NODE: runtime } },
);
process.exit(mocha.status ?? 1);
