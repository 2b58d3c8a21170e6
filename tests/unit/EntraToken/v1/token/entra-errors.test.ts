import assert from 'node:assert/strict';
import type { ServiceConnection } from '../../../../../tasks/EntraToken/v1/src/connection/connection';
import { explainExchangeFailure } from '../../../../../tasks/EntraToken/v1/src/token/entra-errors';
import { TaskError } from '../../../../../tasks/EntraToken/v1/src/common/messages';

const CONNECTION: ServiceConnection = {
  id: 'c',
  kind: 'azureRM',
  scheme: 'WorkloadIdentityFederation',
  proof: { kind: 'federated' },
  tenantId: 'tenant-1',
  clientId: 'client-1',
  authorityHost: 'https://login.example:8443',
  disableInstanceDiscovery: true,
};
const CLAIMS = { issuer: 'https://issuer.example', subject: 'sc://org/project/conn' };

function explain(message: string): string {
  const error = explainExchangeFailure(new Error(message), {
    connection: CONNECTION,
    claims: CLAIMS,
    scope: 'api://x/.default',
    settingsUrl: 'https://dev.example/o/p/_settings/adminservices?resourceId=c',
    lastAttempt: undefined,
  });
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
    [
      '7000215',
      /client secret of service connection 'c' is invalid or expired \(AADSTS7000215\).*https:\/\/dev\.example\/o\/p\/_settings\/adminservices\?resourceId=c/,
    ],
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
  it('keeps the first sentence of any other AADSTS description, without malformed trace ids', () => {
    const message = explain('access_denied: AADSTS50000: There was an error issuing a token. Trace ID: abc Correlation ID: def');

    assert.equal(
      message,
      "Microsoft Entra ID refused the token request for app 'client-1' in tenant 'tenant-1' (AADSTS50000): There was an error issuing a token.",
    );
  });

  it('reports an unreachable authority as a network problem with the host', () => {
    assert.match(
      explain('endpoints_resolution_error: See https://aka.ms/msal.js.errors'),
      /^Could not reach login\.example:8443 to get a token from Microsoft Entra ID/,
    );
  });

  it('reports anything else as a failure of the authority, not of the task', () => {
    assert.match(
      explain('Response had no "expiresOn" property.'),
      /^Microsoft Entra ID at login\.example:8443 did not issue a token \(Response had no "expiresOn" property\)\. If/,
    );
  });
});

const TRACE = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const CORRELATION = '11111111-2222-3333-4444-555555555555';
const ENTRA_TAIL = `Trace ID: ${TRACE} Correlation ID: ${CORRELATION} Timestamp: 2026-12-02 18:20:05Z`;

describe('explainExchangeFailure: the 2026 failure modes, one line each naming the fix', () => {
  const cases: [string, string, RegExp][] = [
    [
      '70052',
      'The identity provider is not supported for multi-tenant applications.',
      /App 'client-1' is multi-tenant.*\(AADSTS70052\)\. Keep this connection on the Azure DevOps issuer.*single-tenant app registration/,
    ],
    [
      '700223',
      'Federated identity credential usage is blocked by policy.',
      /policy in tenant 'tenant-1' blocks federated credentials for app 'client-1' with issuer 'https:\/\/issuer\.example' \(AADSTS700223\)\. Ask a tenant administrator/,
    ],
    [
      '700238',
      'The issuer is not allowed by the app management policy.',
      /blocks federated credentials.*\(AADSTS700238\)\. Ask a tenant administrator to allow this issuer/,
    ],
    [
      '50166',
      'Request to External OIDC endpoint failed.',
      /could not reach the OIDC token's issuer 'https:\/\/issuer\.example' to check it \(AADSTS50166\), even after retries\. .*re-run the job/,
    ],
    ['90061', 'Request to External OIDC endpoint failed.', /could not reach the OIDC token's issuer.*\(AADSTS90061\)/],
    [
      '53003',
      'Access has been blocked by Conditional Access policies.',
      /Conditional Access policy in tenant 'tenant-1' blocked app 'client-1' \(AADSTS53003\)\. Ask an administrator to exclude this workload identity/,
    ],
  ];
  for (const [code, description, expected] of cases) {
    it(`AADSTS${code}`, () => {
      const message = explain(`invalid_client: AADSTS${code}: ${description} ${ENTRA_TAIL}`);

      assert.match(message, expected);
      assert.doesNotMatch(message, /[\r\n]/, 'one line');
    });
  }
});

describe('explainExchangeFailure: the ids Microsoft support asks for', () => {
  it('keeps Trace ID, Correlation ID and Timestamp after an explained code', () => {
    const message = explain(`invalid_client: AADSTS700213: No matching federated identity record found. ${ENTRA_TAIL}`);

    assert.match(
      message,
      new RegExp(
        `the subject is case-sensitive\\. For Microsoft support: Trace ID ${TRACE}, Correlation ID ${CORRELATION}, Timestamp 2026-12-02 18:20:05Z\\.$`,
      ),
    );
  });

  it('keeps them after an unexplained code too, with the multi-line description cut to its first line', () => {
    const message = explain(
      `access_denied: AADSTS50000: There was an error issuing a token.\r\n${ENTRA_TAIL.replace(/ (Correlation|Timestamp)/g, '\r\n$1')}`,
    );

    assert.equal(
      message,
      `Microsoft Entra ID refused the token request for app 'client-1' in tenant 'tenant-1' (AADSTS50000): There was an error issuing a token. For Microsoft support: Trace ID ${TRACE}, Correlation ID ${CORRELATION}, Timestamp 2026-12-02 18:20:05Z.`,
    );
  });

  it('echoes nothing but GUIDs and a date from that part of the text', () => {
    const message = explain(
      'invalid_client: AADSTS700213: x. Trace ID: ##vso[task.setvariable variable=x]1 Correlation ID: not-a-guid Timestamp: soon',
    );

    assert.doesNotMatch(message, /For Microsoft support|##vso|not-a-guid|soon/);
  });
});
