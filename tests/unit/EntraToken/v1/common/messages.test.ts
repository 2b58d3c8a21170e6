import assert from 'node:assert/strict';
import { TaskError, messages } from '../../../../../tasks/EntraToken/v1/src/common/messages';

describe('TaskError: a failure written for the user', () => {
  it('carries the error behind it as its cause, without putting it in the message', () => {
    const cause = new Error('socket hang up');

    const error = new TaskError(messages.entraFailed('login.example', 'no answer'), { cause });

    assert.equal(error.name, 'TaskError');
    assert.equal(error.cause, cause);
    assert.ok(!error.message.includes('socket hang up'));
  });

  it('has no cause when it was not given one', () => {
    assert.equal(new TaskError('x').cause, undefined);
  });
});
