import assert from 'node:assert/strict';
import type { ExchangeRequest } from '../../../../tasks/EntraToken/v1/src/token/exchange';
import type { HttpRequest, HttpResponse } from '../../../../tasks/EntraToken/v1/src/http/sender';
import { TaskError } from '../../../../tasks/EntraToken/v1/src/common/messages';
import { describeFailure, run, type RunDependencies } from '../../../../tasks/EntraToken/v1/src/run';
import { SecretRegistry } from '../../../../tasks/EntraToken/v1/src/common/secrets';
import { FakePipeline, unsignedJwt, type FakeEndpoint } from './fake-pipeline';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = 'c0ffee00-1111-2222-3333-444455556666';
const OIDC_URI = 'https://dev.azure.example/org/proj/_apis/distributedtask/hubs/build/plans/p/jobs/j/oidctoken';

interface Scenario {
  readonly pipeline: FakePipeline;
  readonly requests: HttpRequest[];
  readonly exchanges: ExchangeRequest[];
  readonly deps: RunDependencies;
  readonly oidcToken: string;
  readonly accessToken: string;
}

function scenario(
  options: {
    inputs?: Record<string, string>;
    endpoint?: FakeEndpoint;
    variables?: Record<string, string>;
    oidcResponse?: HttpResponse;
    exchangeError?: Error;
    verifyError?: Error;
    launchError?: Error;
  } = {},
): Scenario {
  const oidcToken = unsignedJwt({
    iss: 'https://vstoken.example/org',
    sub: 'sc://org/proj/conn',
    aud: 'api://AzureADTokenExchange',
    exp: 2000000000,
  });
  const accessToken = unsignedJwt({ aud: '499b84ac-1321-427f-aa17-267ca6975798', n: Math.random() });
  const pipeline = new FakePipeline(
    options.inputs ?? { azureDevOpsServiceConnection: 'conn-1' },
    {
      'conn-1': options.endpoint ?? {
        authorization: { scheme: 'WorkloadIdentityFederation', parameters: { tenantid: TENANT, serviceprincipalid: CLIENT } },
      },
      SystemVssConnection: { authorization: { scheme: 'OAuth', parameters: { AccessToken: 'job-token-value' } } },
    },
    options.variables ?? { 'System.OidcRequestUri': OIDC_URI },
  );
  const requests: HttpRequest[] = [];
  const exchanges: ExchangeRequest[] = [];
  const deps: RunDependencies = {
    pipeline,
    secrets: new SecretRegistry(pipeline),
    send: (request) => {
      requests.push(request);
      return Promise.resolve(options.oidcResponse ?? { status: 200, bodyText: JSON.stringify({ oidcToken }) });
    },
    exchange: (request) => {
      exchanges.push(request);
      if (options.exchangeError) return Promise.reject(options.exchangeError);
      return Promise.resolve({ token: accessToken, expiresOn: new Date('2030-01-01T00:00:00Z') });
    },
    verify: () => Promise.reject(options.verifyError ?? new Error('verifyAccess is off in these scenarios')),
    journal: { lastFor: () => undefined, refusal: undefined },
    launchService: () => Promise.reject(options.launchError ?? new Error('tokenService is off in these scenarios')),
    stopService: () => undefined,
    credentialHelpers: {
      git: '!helper',
      docker: { suffix: 'entratoken', script: { fileName: 'docker-credential-entratoken', content: '#!/bin/sh\n' } },
    },
    authorityHostVariable: undefined,
  };
  return { pipeline, requests, exchanges, deps, oidcToken, accessToken };
}

describe('run: a federated connection yields an exported token', () => {
  it('requests one OIDC token with the job token, exchanges it, and exports the secret and outputs', async () => {
    const s = scenario();

    await run(s.deps);

    assert.equal(s.requests.length, 1);
    const url = new URL(s.requests[0]?.url ?? '');
    assert.equal(url.searchParams.get('api-version'), '7.1');
    assert.equal(url.searchParams.get('serviceConnectionId'), 'conn-1');
    assert.equal(s.requests[0]?.headers.Authorization, 'Bearer job-token-value');
    assert.deepEqual(s.exchanges, [
      {
        tenantId: TENANT,
        clientId: CLIENT,
        authorityHost: 'https://login.microsoftonline.com',
        disableInstanceDiscovery: false,
        scope: '499b84ac-1321-427f-aa17-267ca6975798/.default',
        proof: { kind: 'federated', assertion: s.oidcToken },
      },
    ]);
    assert.deepEqual(
      s.pipeline.variables.map((v) => [v.name, v.secret, v.isOutput]),
      [
        ['EntraAccessToken', true, false],
        ['accessToken', true, true],
        ['expiresOn', false, true],
        ['tenantId', false, true],
        ['clientId', false, true],
      ],
    );
    assert.equal(s.pipeline.variables[0]?.value, s.accessToken);
    assert.equal(s.pipeline.variables.find((v) => v.name === 'expiresOn')?.value, '2030-01-01T00:00:00.000Z');
  });

  it('registers each token as a secret before printing anything that follows it', async () => {
    const s = scenario();

    await run(s.deps);

    assert.ok(s.pipeline.secrets.includes(s.oidcToken) && s.pipeline.secrets.includes(s.accessToken));
    const claimsLine = s.pipeline.log.findIndex((line) => line.startsWith('OIDC token:'));
    const firstSecret = s.pipeline.log.indexOf('setSecret');
    assert.ok(firstSecret >= 0 && firstSecret < claimsLine, 'the OIDC token is registered before its claims are printed');
    assert.match(s.pipeline.log[claimsLine] ?? '', /issuer 'https:\/\/vstoken\.example\/org', subject 'sc:\/\/org\/proj\/conn'/);
    assert.ok(s.pipeline.log.every((line) => !line.includes(s.oidcToken) && !line.includes(s.accessToken)));
  });
});

describe('run: checks that need no network fail before any request', () => {
  const cases: { name: string; options: Parameters<typeof scenario>[0]; expected: RegExp }[] = [
    {
      name: 'no System.OidcRequestUri',
      options: { variables: {} },
      expected: /System\.OidcRequestUri is not set.*needs Azure DevOps Services.*client secret or a certificate/,
    },
    {
      name: 'Azure DevOps Server (System.ServerType OnPremises), even with an OIDC request URI',
      options: { variables: { 'System.ServerType': 'OnPremises', 'System.OidcRequestUri': OIDC_URI } },
      expected:
        /Workload identity federation needs Azure DevOps Services.*System\.ServerType is 'OnPremises'.*client secret or a certificate \(connectionType: azureRM\)/,
    },
    {
      name: 'a connection that uses a client secret',
      options: { endpoint: { authorization: { scheme: 'ServicePrincipal', parameters: {} } } },
      expected: /scheme 'ServicePrincipal'.*Supported: WorkloadIdentityFederation\./,
    },
    {
      name: 'verifyAccess with no organization to check',
      options: { inputs: { azureDevOpsServiceConnection: 'conn-1', verifyAccess: 'true' } },
      expected: /Input 'organizationUrl' is ''/,
    },
    {
      name: 'a connection without tenantid',
      options: { endpoint: { authorization: { scheme: 'WorkloadIdentityFederation', parameters: { serviceprincipalid: CLIENT } } } },
      expected: /no 'tenantid'/,
    },
  ];
  for (const testCase of cases) {
    it(testCase.name, async () => {
      const s = scenario(testCase.options);

      await assert.rejects(run(s.deps), testCase.expected);

      assert.equal(s.requests.length, 0);
    });
  }
});

describe('run: a token or secret goes only to an https:// URL without user info', () => {
  const WIF = { scheme: 'WorkloadIdentityFederation', parameters: { tenantid: TENANT, serviceprincipalid: CLIENT } };
  const verify = (extra: Record<string, string> = {}) => ({ azureDevOpsServiceConnection: 'conn-1', verifyAccess: 'true', ...extra });
  const cases: { name: string; options: Parameters<typeof scenario>[0]; expected: RegExp }[] = [
    {
      name: 'System.OidcRequestUri over plain HTTP',
      options: { variables: { 'System.OidcRequestUri': OIDC_URI.replace('https:', 'http:') } },
      expected: /^The variable System\.OidcRequestUri is 'http:\/\/dev\.azure\.example/,
    },
    {
      name: 'System.OidcRequestUri with user info',
      options: { variables: { 'System.OidcRequestUri': OIDC_URI.replace('https://', 'https://u:p@') } },
      expected: /^The variable System\.OidcRequestUri is 'https:\/\/\*\*\*@dev/,
    },
    {
      name: 'the authority from connection data over plain HTTP',
      options: { endpoint: { authorization: WIF, data: { activeDirectoryAuthority: 'http://login.example' } } },
      expected: /^Service connection data 'activeDirectoryAuthority' is 'http:\/\/login\.example'/,
    },
    {
      name: "verifyAccess to input 'organizationUrl' as a file URL",
      options: { inputs: verify({ organizationUrl: 'file:///tmp/x' }) },
      expected: /^Input 'organizationUrl' is 'file:\/\/\/tmp\/x'/,
    },
    {
      name: "verifyAccess to the Azure DevOps connection's plain-HTTP URL",
      options: { inputs: verify(), endpoint: { authorization: WIF, url: 'http://dev.azure.example/org' } },
      expected: /^The URL of service connection 'conn-1' is 'http:\/\/dev\.azure\.example\/org'/,
    },
    {
      name: 'verifyAccess to a plain-HTTP System.CollectionUri',
      options: {
        inputs: verify(),
        variables: { 'System.OidcRequestUri': OIDC_URI, 'System.CollectionUri': 'http://dev.azure.example/org/' },
      },
      expected: /^The variable System\.CollectionUri is 'http:\/\/dev\.azure\.example\/org\/'.*organizationUrl/,
    },
  ];
  for (const testCase of cases) {
    it(testCase.name, async () => {
      const s = scenario(testCase.options);

      await assert.rejects(run(s.deps), (error: unknown) => error instanceof TaskError && testCase.expected.test(error.message));

      assert.equal(s.requests.length, 0);
      assert.equal(s.exchanges.length, 0);
    });
  }
});

describe('run: a step that fails after the token arrived exports nothing', () => {
  const cases: { name: string; options: Parameters<typeof scenario>[0]; expected: RegExp }[] = [
    {
      name: 'verifyAccess refused',
      options: {
        inputs: { azureDevOpsServiceConnection: 'conn-1', verifyAccess: 'true', organizationUrl: 'https://dev.azure.example/org' },
        verifyError: new TaskError('not a member'),
      },
      expected: /not a member/,
    },
    {
      name: 'the token service did not start',
      options: { inputs: { azureDevOpsServiceConnection: 'conn-1', tokenService: 'true' }, launchError: new TaskError('did not start') },
      expected: /did not start/,
    },
  ];
  for (const testCase of cases) {
    it(testCase.name, async () => {
      const s = scenario(testCase.options);

      await assert.rejects(run(s.deps), testCase.expected);

      assert.equal(s.exchanges.length, 1, 'the token was obtained');
      assert.deepEqual(s.pipeline.variables, []);
    });
  }
});

describe('run: an Entra refusal explains the federated credential to register', () => {
  it('names the issuer, subject and client id from the OIDC token on AADSTS700213', async () => {
    const s = scenario({
      exchangeError: new Error('invalid_client: AADSTS700213: No matching federated identity record found. Trace ID: x'),
    });

    const error = await run(s.deps).then(
      () => undefined,
      (e: unknown) => e,
    );

    assert.ok(error instanceof TaskError);
    assert.match(error.message, /issuer 'https:\/\/vstoken\.example\/org', subject 'sc:\/\/org\/proj\/conn'/);
    assert.match(error.message, new RegExp(`app '${CLIENT}' in tenant '${TENANT}'`));
    assert.match(error.message, /case-sensitive/);
  });
});

describe('run: a connection with its own secret', () => {
  it('needs no OIDC token: it presents the secret and scrubs it from any failure', async () => {
    const s = scenario({
      endpoint: {
        authorization: {
          scheme: 'ServicePrincipal',
          parameters: { tenantid: TENANT, serviceprincipalid: CLIENT, serviceprincipalkey: 'the-client-secret' },
        },
      },
      variables: {},
      exchangeError: new Error('invalid_client: the-client-secret was rejected'),
    });
    const pipeline = s.pipeline;
    const inputs = { connectionType: 'azureRM', connectedServiceNameARM: 'conn-1' };
    const deps = {
      ...s.deps,
      pipeline: new FakePipeline(inputs, {
        'conn-1': {
          authorization: {
            scheme: 'ServicePrincipal',
            parameters: { tenantid: TENANT, serviceprincipalid: CLIENT, serviceprincipalkey: 'the-client-secret' },
          },
        },
      }),
    };

    const error = await run(deps).then(
      () => undefined,
      (e: unknown) => e,
    );

    assert.equal(s.requests.length, 0);
    assert.deepEqual(s.exchanges[0]?.proof, { kind: 'secret', secret: 'the-client-secret' });
    assert.doesNotMatch(describeFailure(error, deps.secrets), /the-client-secret/);
    assert.equal(pipeline.secrets.length, 0, 'a secret the agent already masks is not announced again');
  });
});

describe('describeFailure', () => {
  it('scrubs every registered secret from an unexpected error', () => {
    const pipeline = new FakePipeline();
    const secrets = new SecretRegistry(pipeline);
    secrets.register('s3cr3t-value');

    const line = describeFailure(new Error('library echoed client_assertion=s3cr3t-value\nat line 2'), secrets);

    assert.doesNotMatch(line, /s3cr3t-value/);
    assert.match(line, /client_assertion=\*\*\* at line 2/);
    assert.match(line, /System\.Debug=true/);
  });
});
