import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { EndpointSpec } from './agent';
import { FAST_RETRIES, Fixture, type RunOptions } from './fixture';
import { endpointFor } from './scenario';

interface BadInputCase {
  readonly name: string;
  readonly options: (fixture: Fixture) => RunOptions;
  readonly expected: RegExp;
  readonly arrange?: (fixture: Fixture) => void;
}

function devops(fixture: Fixture, inputs: Record<string, string> = {}, extra: Record<string, string> = {}): RunOptions {
  return {
    inputs: { azureDevOpsServiceConnection: fixture.scenario.devops.connection.id, ...inputs },
    extra: { ...FAST_RETRIES, ...extra },
  };
}

function withEndpoint(fixture: Fixture, change: (endpoint: EndpointSpec) => EndpointSpec, inputs: Record<string, string> = {}): RunOptions {
  return { ...devops(fixture, inputs), endpoints: [change(endpointFor(fixture.scenario.devops))] };
}

function arm(fixture: Fixture, data: Record<string, string>, extra: Record<string, string> = {}): RunOptions {
  return {
    inputs: { connectionType: 'azureRM', azureSubscription: fixture.scenario.arm.connection.id },
    endpoints: [endpointFor(fixture.scenario.arm, data)],
    extra,
  };
}

const CASES: readonly BadInputCase[] = [
  {
    name: 'empty connection input',
    options: (f) => devops(f, { azureDevOpsServiceConnection: '' }),
    expected: /^Input 'azureDevOpsServiceConnection' is required when connectionType is 'azureDevOps'/,
  },
  {
    name: 'unknown connection id',
    options: (f) => devops(f, { azureDevOpsServiceConnection: randomUUID() }),
    expected: /^Service connection '[0-9a-f-]+' \(input 'azureDevOpsServiceConnection'\) was not handed to this task.*authorized to use it/,
  },
  {
    name: 'unknown connectionType',
    options: (f) => devops(f, { connectionType: 'github' }),
    expected: /^Input 'connectionType' is 'github'\. Set it to 'azureDevOps'.*or 'azureRM'/,
  },
  {
    name: 'ARM type without azureSubscription',
    options: (f) => devops(f, { connectionType: 'azureRM' }),
    expected: /^Input 'azureSubscription' is required when connectionType is 'azureRM'/,
  },
  {
    name: 'connection without tenantid',
    options: (f) => withEndpoint(f, (e) => ({ ...e, parameters: { serviceprincipalid: 'x' } })),
    expected: /has no 'tenantid' in its authorization\. Edit the connection/,
  },
  {
    name: 'connection without serviceprincipalid',
    options: (f) => withEndpoint(f, (e) => ({ ...e, parameters: { tenantid: 'x' } })),
    expected: /has no 'serviceprincipalid' in its authorization/,
  },
  {
    name: 'malformed endpoint authorization JSON',
    options: (f) => ({ ...devops(f), extra: { [`ENDPOINT_AUTH_${f.scenario.devops.connection.id}`]: '{"scheme":' } }),
    expected: /unreadable authorization data.*save it again/,
  },
  {
    name: 'a client-secret connection',
    options: (f) => withEndpoint(f, (e) => ({ ...e, scheme: 'ServicePrincipal' })),
    expected: /uses authentication scheme 'ServicePrincipal'.*convert it to workload identity federation/,
  },
  {
    name: 'scope with a space',
    options: (f) => devops(f, { scope: 'https://graph.microsoft.com /.default' }),
    expected: /^Input 'scope' is .*which contains a space.*for example '499b84ac/,
  },
  {
    name: 'two scopes',
    options: (f) => devops(f, { scope: 'https://a.example/.default,https://b.example/.default' }),
    expected: /^Input 'scope' is .*not one scope/,
  },
  { name: 'scope that is no resource', options: (f) => devops(f, { scope: 'User.Read' }), expected: /^Input 'scope' is 'User\.Read'/ },
  { name: 'http scope', options: (f) => devops(f, { scope: 'http://api.example' }), expected: /^Input 'scope' is 'http:\/\/api\.example'/ },
  {
    name: 'variableName with a dash',
    options: (f) => devops(f, { variableName: 'my-token' }),
    expected: /^Input 'variableName' is 'my-token'\. Use letters, digits/,
  },
  {
    name: 'variableName with a space',
    options: (f) => devops(f, { variableName: 'my token' }),
    expected: /^Input 'variableName' is 'my token'/,
  },
  ...['System', 'Agent', 'Build', 'Release'].map((prefix) => ({
    name: `variableName with the reserved prefix ${prefix}.`,
    options: (f: Fixture) => devops(f, { variableName: `${prefix}.Token` }),
    expected: new RegExp(`names starting with '${prefix}\\.' are reserved`),
  })),
  {
    name: 'verifyAccess that is not a boolean',
    options: (f) => devops(f, { verifyAccess: 'yes' }),
    expected: /^Input 'verifyAccess' is 'yes'\. Set it to 'true' or 'false'/,
  },
  {
    name: 'organizationUrl without https',
    options: (f) => devops(f, { verifyAccess: 'true', organizationUrl: 'dev.azure.com/x' }),
    expected: /^Input 'organizationUrl' is 'dev\.azure\.com\/x'/,
  },
  {
    name: 'verifyAccess with a Graph scope',
    options: (f) => devops(f, { verifyAccess: 'true', scope: 'https://graph.microsoft.com' }),
    expected: /^Input 'verifyAccess' checks access to Azure DevOps, but input 'scope'/,
  },
  {
    name: 'http authority in the connection',
    options: (f) => arm(f, { activeDirectoryAuthority: 'http://login.example' }),
    expected:
      /^Service connection data 'activeDirectoryAuthority' is 'http:\/\/login\.example', but the Entra authority must be an https:\/\/ URL/,
  },
  {
    name: 'AZURE_AUTHORITY_HOST that is no URL',
    options: (f) => devops(f, {}, { AZURE_AUTHORITY_HOST: 'login.example' }),
    expected: /^AZURE_AUTHORITY_HOST is 'login\.example'/,
  },
  {
    name: 'missing System.OidcRequestUri',
    options: (f) => devops(f, {}, { SYSTEM_OIDCREQUESTURI: '' }),
    expected: /^The variable System\.OidcRequestUri is not set.*Azure DevOps Services/,
  },
  {
    name: 'System.OidcRequestUri that is no URL',
    options: (f) => devops(f, {}, { SYSTEM_OIDCREQUESTURI: 'oidc' }),
    expected: /^The variable System\.OidcRequestUri is 'oidc', which is not an https:\/\/ URL/,
  },
  {
    name: 'missing job token',
    options: (f) => devops(f, {}, { ENDPOINT_AUTH_SYSTEMVSSCONNECTION: '' }),
    expected: /^The job's access token \(the SystemVssConnection endpoint\) is not available/,
  },
  {
    name: 'unreachable proxy',
    options: (f) => devops(f, {}, { HTTPS_PROXY: 'http://127.0.0.1:9' }),
    expected: /^Could not reach 127\.0\.0\.1:\d+ to request an OIDC token.*proxy settings/,
  },
  {
    name: 'Entra answers HTML',
    arrange: (f) => {
      f.cloud.inject('token', { status: 200, body: '<html/>', times: 5 });
    },
    options: (f) => devops(f),
    expected: /^Microsoft Entra ID at .* did not issue a token/,
  },
  {
    name: 'Entra answers 200 without a token',
    arrange: (f) => {
      f.cloud.inject('token', { status: 200, body: '{"expires_in":3599}', times: 5 });
    },
    options: (f) => devops(f),
    expected: /^Microsoft Entra ID at .* did not issue a token/,
  },
  {
    name: 'OIDC answer without oidcToken',
    arrange: (f) => {
      f.cloud.inject('oidc', { status: 200, body: '{}' });
    },
    options: (f) => devops(f),
    expected: /^Azure DevOps answered the OIDC token request with HTTP 200 but no 'oidcToken'/,
  },
  {
    name: 'a tenant that does not exist',
    options: (f) => withEndpoint(f, (e) => ({ ...e, parameters: { ...e.parameters, tenantid: randomUUID() } })),
    expected: /^Tenant '[0-9a-f-]+' does not exist at https:\/\/127\.0\.0\.1:\d+ \(AADSTS90002\)/,
  },
];

describe('EntraToken bad input and misconfiguration, end to end', () => {
  let fixture: Fixture;

  before(async () => {
    fixture = await Fixture.start();
  });
  after(async () => {
    await fixture.close();
  });

  it('covers at least 25 cases', () => {
    assert.ok(CASES.length >= 25, `${String(CASES.length)} cases`);
  });

  for (const testCase of CASES) {
    describe(testCase.name, () => {
      it('ends with one error line that names what to fix, and no stack trace outside debug', async () => {
        testCase.arrange?.(fixture);

        const { run } = await fixture.run(testCase.options(fixture));

        assert.equal(run.exitCode, 1);
        const errors = run.commands.filter((c) => c.area === 'task.issue' && c.properties.type === 'error');
        assert.equal(errors.length, 1, run.lines.join('\n'));
        assert.match(errors[0]?.message ?? '', testCase.expected);
        const visible = run.lines.filter((line) => !line.startsWith('##vso[task.debug]'));
        assert.ok(
          visible.every((line) => !/^\s+at /.test(line)),
          'a stack trace is visible',
        );
      });
    });
  }
});
