import assert from 'node:assert/strict';
import { MalformedEndpointError, parseAuthorization } from '../../../../../tasks/EntraToken/v1/src/platform/port';

describe('parseAuthorization: the endpoint authorization the agent hands over', () => {
  it('keeps the scheme and the string parameters', () => {
    const auth = parseAuthorization('c-1', {
      scheme: 'WorkloadIdentityFederation',
      parameters: { tenantid: 't', serviceprincipalid: 'c', number: 3 },
    });

    assert.deepEqual(auth, { scheme: 'WorkloadIdentityFederation', parameters: { tenantid: 't', serviceprincipalid: 'c' } });
  });

  it('reads a missing scheme as empty and missing parameters as none', () => {
    assert.deepEqual(parseAuthorization('c-1', {}), { scheme: '', parameters: {} });
  });

  it('refuses what is not an object, or parameters that are not one, naming the connection', () => {
    for (const raw of [undefined, null, 'text', { scheme: 'x', parameters: 'text' }]) {
      assert.throws(
        () => parseAuthorization('c-1', raw),
        (error: unknown) => error instanceof MalformedEndpointError && error.endpointId === 'c-1',
      );
    }
  });
});
