import assert from 'node:assert/strict';
import { LIMIT_VARIABLES, readLimits } from '../../../../../tasks/EntraToken/v1/src/http/limits';

describe('readLimits: defaults and environment overrides', () => {
  it('uses the defaults with no variables set', () => {
    assert.deepEqual(readLimits({}), {
      requestTimeoutMs: 20_000,
      maxRetries: 3,
      retryDelayMs: 1_000,
      maxRetryDelayMs: 8_000,
      taskTimeoutMs: 120_000,
    });
  });

  it('takes whole numbers within bounds from the variables', () => {
    const limits = readLimits({
      [LIMIT_VARIABLES.requestTimeoutMs]: '500',
      [LIMIT_VARIABLES.maxRetries]: '0',
      [LIMIT_VARIABLES.retryDelayMs]: '10',
      [LIMIT_VARIABLES.taskTimeoutMs]: '5000',
    });

    assert.deepEqual(limits, { requestTimeoutMs: 500, maxRetries: 0, retryDelayMs: 10, maxRetryDelayMs: 8_000, taskTimeoutMs: 5_000 });
  });

  it('ignores values that are blank, fractional, not numbers, or out of bounds', () => {
    for (const value of ['', ' ', '1.5', 'ten', '99', '999999999']) {
      assert.equal(readLimits({ [LIMIT_VARIABLES.requestTimeoutMs]: value }).requestTimeoutMs, 20_000, value);
    }
    assert.equal(readLimits({ [LIMIT_VARIABLES.maxRetries]: '11' }).maxRetries, 3);
  });
});
