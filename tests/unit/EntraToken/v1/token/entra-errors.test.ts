import assert from 'node:assert/strict';
import type { ServiceConnection } from '../../../../../tasks/EntraToken/v1/src/connection/connection';
import { explainExchangeFailure } from '../../../../../tasks/EntraToken/v1/src/token/entra-errors';
import { TaskError } from '../../../../../tasks/EntraToken/v1/src/common/messages';

const CONNECTION: ServiceConnection = {
  id: 'c', kind: 'azureRM', scheme: 'WorkloadIdentityFederation', proof: { kind: 'federated' }, tenantId: 'tenant-1', clientId: 'client-1', authorityHost: 'https://login.example:8443', disableInstanceDiscovery: true,
};
const CLAIMS = { issuer: 'https://issuer.example', subject: 'sc://org/project/conn' };

function explain(message: string): string {
  const error = explainExchangeFailure(new Error(message), { connection: CONNECTION, claims: CLAIMS, scope: 'api://x/.default', settingsUrl: 'https://dev.example/o/p/_settings/adminservices?resourceId=c', lastAttempt: undefined });
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

describe('explainExchangeFailure: each known code says what to change', () => {
  const cases: [string, RegExp][] = [
    ['70025', /has no federated credentials \(AADSTS70025\).*issuer 'https:\/\/issuer\.example', subject 'sc:\/\/org\/project\/conn'/],
    ['700024', /expired or not yet valid \(AADSTS700024\).*clock/],
    ['700016', /No application with client id 'client-1' exists in tenant 'tenant-1' \(AADSTS700016\)/],
    ['90002', /Tenant 'tenant-1' does not exist at https:\/\/login\.example:8443 \(AADSTS90002\)/],
    ['7000112', /App 'client-1' is disabled.*'Enabled for users to sign in'/],
    ['7000215', /client secret of service connection 'c' is invalid or expired \(AADSTS7000215\).*https:\/\/dev\.example\/o\/p\/_settings\/adminservices\?resourceId=c/],
    ['7000222', /invalid or expired \(AADSTS7000222\)/],
    ['500011', /does not know the resource in scope 'api:\/\/x\/\.default'.*'scope' input/],
    ['70011', /\(AADSTS70011\)/],
    ['900382', /another cloud than the authority https:\/\/login\.example:8443 \(AADSTS900382\).*environment/],
  ];
  for (const [code, expected] of cases) {
    it(`AADSTS${code}`, () => {
      assert.match(explain(`error: AADSTS${code}: description. Trace ID: 1`), expected);
    });
  }
});

describe('explainExchangeFailure: other refusals and failures', () => {
  it('keeps the first sentence of any other AADSTS description, without trace ids', () => {
    const message = explain('access_denied: AADSTS53003: Access has been blocked by Conditional Access policies. Trace ID: abc Correlation ID: def');

    assert.equal(message, "Microsoft Entra ID refused the token request for app 'client-1' in tenant 'tenant-1' (AADSTS53003): Access has been blocked by Conditional Access policies.");
  });

  it('reports an unreachable authority as a network problem with the host', () => {
    assert.match(explain('endpoints_resolution_error: See https://aka.ms/msal.js.errors'), /^Could not reach login\.example:8443 to get a token from Microsoft Entra ID/);
  });

  it('reports anything else as a failure of the authority, not of the task', () => {
    assert.match(explain('Response had no "expiresOn" property.'), /^Microsoft Entra ID at login\.example:8443 did not issue a token \(Response had no "expiresOn" property\)\. If/);
  });
});
