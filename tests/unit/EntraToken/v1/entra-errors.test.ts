import assert from 'node:assert/strict';
import type { FederatedConnection } from '../../../../tasks/EntraToken/v1/src/connection';
import { explainExchangeFailure } from '../../../../tasks/EntraToken/v1/src/entra-errors';
import { TaskError } from '../../../../tasks/EntraToken/v1/src/messages';

const CONNECTION: FederatedConnection = {
  id: 'c', kind: 'azureRM', tenantId: 'tenant-1', clientId: 'client-1', authorityHost: 'https://login.example:8443', disableInstanceDiscovery: true,
};
const CLAIMS = { issuer: 'https://issuer.example', subject: 'sc://org/project/conn' };

function explain(message: string): string {
  const error = explainExchangeFailure(new Error(message), CONNECTION, CLAIMS);
  assert.ok(error instanceof TaskError, 'every Entra failure becomes a message written for the user');
  return error.message;
}

describe('explainExchangeFailure: no matching federated credential', () => {
  for (const code of ['700213', '700211', '70025']) {
    it(`AADSTS${code} names the issuer and subject to register`, () => {
      const message = explain(`invalid_client: AADSTS${code}: No matching federated identity record. Trace ID: 1`);

      assert.match(message, new RegExp(`\\(AADSTS${code}\\)`));
      assert.match(message, /issuer 'https:\/\/issuer\.example', subject 'sc:\/\/org\/project\/conn'/);
    });
  }
});

describe('explainExchangeFailure: other refusals and failures', () => {
  it('keeps the first sentence of any other AADSTS description, without trace ids', () => {
    const message = explain('unauthorized_client: AADSTS700016: Application with identifier x was not found. Trace ID: abc Correlation ID: def');

    assert.equal(message, "Microsoft Entra ID refused the token request for app 'client-1' in tenant 'tenant-1' (AADSTS700016): Application with identifier x was not found.");
  });

  it('reports an unreachable authority as a network problem with the host', () => {
    assert.match(explain('endpoints_resolution_error: See https://aka.ms/msal.js.errors'), /^Could not reach login\.example:8443 to get a token from Microsoft Entra ID/);
  });

  it('reports anything else as a failure of the authority, not of the task', () => {
    assert.match(explain('Response had no "expiresOn" property.'), /^Microsoft Entra ID at login\.example:8443 did not issue a token, even after retries: Response had no "expiresOn" property\. This/);
  });
});
