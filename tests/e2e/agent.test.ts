import assert from 'node:assert/strict';
import { assertNoRuntimeWarnings, runtimeWarnings, taskRunFrom } from './agent';

describe('runtimeWarnings: what counts as Node printing a warning', () => {
  it('finds deprecation and plain warnings, and not the task log or the --trace hint', () => {
    const stderr = [
      '(node:4242) [DEP0169] DeprecationWarning: `url.parse()` behavior is not standardized.',
      '(Use `node --trace-deprecation ...` to show where the warning was created)',
      '(node:4242) Warning: Setting the NODE_TLS_REJECT_UNAUTHORIZED environment variable to 0 makes TLS insecure.',
      '##[warning]This connection uses the legacy issuer',
      'Warning: a line the task printed itself',
    ].join('\n');

    const found = runtimeWarnings(stderr);

    assert.deepEqual(found.map((line) => line.slice(0, 24)), ['(node:4242) [DEP0169] De', '(node:4242) Warning: Set']);
  });

  it('fails a run whose stderr holds one, naming the runtime', () => {
    const run = taskRunFrom(0, '##vso[task.complete result=Succeeded;]done\n', '(node:7) [DEP0040] DeprecationWarning: The `punycode` module is deprecated.\n');

    assert.throws(() => { assertNoRuntimeWarnings(run, '/opt/node24/bin/node'); }, /Node printed a warning .*\/opt\/node24\/bin\/node.*DEP0040/s);
  });
});
