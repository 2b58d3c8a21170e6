import assert from 'node:assert/strict';
import { errorDetail } from '../../../../../tasks/EntraToken/v1/src/common/error-detail';

function systemError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('errorDetail: the text a failure line quotes', () => {
  it('adds the system code when the message does not name it, so every wording of a reset reads ECONNRESET', () => {
    const detail = errorDetail(
      systemError('Client network socket disconnected before secure TLS connection was established', 'ECONNRESET'),
    );

    assert.equal(detail, 'Client network socket disconnected before secure TLS connection was established (ECONNRESET)');
  });

  it('leaves a message that already names its code, one without a code, and a non-error as they are', () => {
    assert.equal(errorDetail(systemError('read ECONNRESET', 'ECONNRESET')), 'read ECONNRESET');
    assert.equal(errorDetail(new Error('plain')), 'plain');
    assert.equal(errorDetail(systemError('odd', 'not a system code')), 'odd');
    assert.equal(errorDetail('text'), 'text');
  });
});
