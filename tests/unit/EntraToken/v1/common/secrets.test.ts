import assert from 'node:assert/strict';
import { SecretRegistry } from '../../../../../tasks/EntraToken/v1/src/common/secrets';

describe('SecretRegistry: registration', () => {
  it('registers the value, its Bearer form and the base64 of :value, once each', () => {
    const registered: string[] = [];
    const registry = new SecretRegistry({ setSecret: (value) => registered.push(value) });

    registry.register('tok');
    registry.register('tok');

    assert.deepEqual(registered, ['tok', 'Bearer tok', Buffer.from(':tok').toString('base64')]);
  });
});

describe('SecretRegistry: redaction', () => {
  it('replaces every registered form, longest first', () => {
    const registry = new SecretRegistry({ setSecret: () => undefined });
    registry.register('abc');

    const text = registry.redact(`header Bearer abc, basic ${Buffer.from(':abc').toString('base64')}, raw abc`);

    assert.equal(text, 'header ***, basic ***, raw ***');
  });
});

describe('SecretRegistry: remembered values', () => {
  it('are scrubbed but never announced to the agent', () => {
    const registered: string[] = [];
    const registry = new SecretRegistry({ setSecret: (value) => registered.push(value) });

    registry.remember('job-token');

    assert.deepEqual(registered, []);
    assert.equal(registry.redact('auth Bearer job-token'), 'auth ***');
  });
});
