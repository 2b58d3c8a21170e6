// The hostile-input table: text from outside the task, in every place it can come from, carrying an agent
// command, a formatting line, a line break or an invisible character that hides a marker. Each case says what
// a safe outcome is; hostile-input.test.ts runs them all and checks the outcome and that nothing was injected.
import { randomUUID } from 'node:crypto';
import { startConnectProxy, type ConnectProxy } from '../fake-cloud';
import type { EndpointSpec } from './agent';
import { FAST_RETRIES, type Fixture, type RunOptions } from './fixture';
import { endpointFor, type Identity } from './scenario';

export type Category = 'inputs' | 'endpoint' | 'claims' | 'server';

export interface HostileCase {
  readonly category: Category;
  readonly name: string;
  /** 'fail': one error line matching `message`; 'succeed': a safe success; 'either': one of the two. */
  readonly outcome: 'fail' | 'succeed' | 'either';
  readonly message?: RegExp;
  /** Arranges the fake cloud; cases with faults run one at a time, the rest concurrently. */
  readonly faults?: (fixture: Fixture) => void;
  readonly options: (fixture: Fixture) => RunOptions | Promise<RunOptions>;
}

/** Hostile proxies the proxy cases start; the suite closes them. */
export const PROXIES: ConnectProxy[] = [];

export const PAYLOADS: Readonly<Record<string, string>> = {
  'a command mid-line': 'x ##vso[task.setvariable variable=Injected;issecret=false]evil',
  'LF and a command': 'x\n##vso[task.setvariable variable=Injected]evil',
  'CR and formatting': 'x\r##[error]fake error',
  'a zero-width space in the marker': '##\u200bvso[task.complete result=Succeeded]done',
};

const PAYLOAD_ENTRIES = Object.entries(PAYLOADS);

// Short request timeouts keep the suite quick when a case points a request at a closed port.
const LIMITS = { ...FAST_RETRIES, ENTRATOKEN_REQUEST_TIMEOUT_MS: '3000' };

function devops(fixture: Fixture, inputs: Record<string, string> = {}, extra: Record<string, string> = {}): RunOptions {
  return {
    inputs: { azureDevOpsServiceConnection: fixture.scenario.devops.connection.id, ...inputs },
    extra: { ...LIMITS, ...extra },
    expectToolFiles: true,
  };
}

function withEndpoint(fixture: Fixture, change: (endpoint: EndpointSpec) => EndpointSpec, inputs: Record<string, string> = {}): RunOptions {
  return { ...devops(fixture, inputs), endpoints: [change(endpointFor(fixture.scenario.devops))] };
}

function arm(fixture: Fixture, data: Record<string, string>): RunOptions {
  const { id } = fixture.scenario.arm.connection;
  return {
    inputs: { connectionType: 'azureRM', azureSubscription: id },
    endpoints: [endpointFor(fixture.scenario.arm, data)],
    extra: LIMITS,
  };
}

/** A connection (legacy issuer: its name is in the subject) and an app whose federated credential matches, or not. */
function namedIdentity(fixture: Fixture, name: string, matching: boolean, displayName?: string): Identity {
  const connection = {
    id: randomUUID(),
    name,
    projectName: 'Platform',
    tenantId: fixture.scenario.tenantId,
    issuerFormat: 'vstoken' as const,
  };
  fixture.cloud.addConnection(connection);
  const subject = matching ? fixture.cloud.subjectFor(connection) : `sc://${fixture.cloud.organizationName}/Platform/other`;
  const app = {
    tenantId: connection.tenantId,
    clientId: randomUUID(),
    objectId: randomUUID(),
    displayName: displayName ?? name,
    federatedCredentials: [{ issuer: fixture.cloud.issuerFor(connection), subject }],
  };
  fixture.cloud.addApp(app);
  return { connection, app };
}

function inputCases(): HostileCase[] {
  const urlInputs: [string, string, Record<string, string>][] = [
    ['scope', 'https://graph.microsoft.com/', {}],
    ['tokenServiceScopes', 'https://management.azure.com\nhttps://vault.azure.net/', {}],
    ['organizationUrl', 'https://dev.azure.com/contoso/', { verifyAccess: 'true' }],
    ['tenantId', 'contoso.onmicrosoft.com', {}],
    ['nugetFeeds', 'https://pkgs.example/index.json', {}],
    ['npmRegistries', 'https://pkgs.example/npm/registry/', {}],
    ['pipIndexes', 'https://pkgs.example/simple/', {}],
    ['gitOrganizations', 'https://dev.azure.com/other', {}],
  ];
  const textInputs: [string, RegExp][] = [
    ['variableName', /^Input 'variableName' is /],
    ['environmentVariables', /^Input 'environmentVariables' has the line /],
    ['connectionType', /^Input 'connectionType' is /],
    ['azureDevOpsServiceConnection', /^Service connection '.*' \(input 'azureDevOpsServiceConnection'\) was not handed/],
    ['verifyAccess', /^Input 'verifyAccess' is /],
    ['tokenService', /^Input 'tokenService' is /],
    ['pipReplaceIndex', /^Input 'pipReplaceIndex' is /],
  ];
  const cases: HostileCase[] = [];
  for (const [payloadName, payload] of PAYLOAD_ENTRIES) {
    for (const [input, prefix, more] of urlInputs) {
      // A line break ends a list input's line; the rest starts with '#', a comment: a safe success.
      const list = prefix.startsWith('https://') && !['scope', 'organizationUrl'].includes(input);
      cases.push({
        category: 'inputs',
        name: `${input}: ${payloadName}`,
        outcome: list && payload.includes('\n') ? 'either' : 'fail',
        message: new RegExp(`^Input '${input}'( line \\d+)? is .*, which contains `, 's'),
        options: (f) => devops(f, { ...more, [input]: `${prefix}${payload}` }),
      });
    }
    for (const [input, message] of textInputs) {
      cases.push({
        category: 'inputs',
        name: `${input}: ${payloadName}`,
        outcome: input === 'environmentVariables' && payload.includes('\n') ? 'either' : 'fail',
        message,
        options: (f) => devops(f, { [input]: `${input === 'azureDevOpsServiceConnection' ? randomUUID() : 'x'}${payload}` }),
      });
    }
  }
  return cases;
}

function endpointCases(): HostileCase[] {
  const cases: HostileCase[] = [];
  for (const [payloadName, payload] of PAYLOAD_ENTRIES) {
    const add = (name: string, outcome: HostileCase['outcome'], options: HostileCase['options'], message?: RegExp): void => {
      cases.push({ category: 'endpoint', name: `${name}: ${payloadName}`, outcome, options, message });
    };
    add('authorization tenantid', 'fail', (f) =>
      withEndpoint(f, (e) => ({ ...e, parameters: { ...e.parameters, tenantid: `${f.scenario.tenantId}${payload}` } })),
    );
    add('authorization serviceprincipalid', 'fail', (f) =>
      withEndpoint(f, (e) => ({
        ...e,
        parameters: { ...e.parameters, serviceprincipalid: `${e.parameters.serviceprincipalid ?? ''}${payload}` },
      })),
    );
    add('authorization scheme', 'fail', (f) => withEndpoint(f, (e) => ({ ...e, scheme: `WIF${payload}` })), /uses authentication scheme /);
    add(
      'unreadable authorization JSON',
      'fail',
      (f) => ({ ...devops(f), extra: { ...LIMITS, [`ENDPOINT_AUTH_${f.scenario.devops.connection.id}`]: `{"scheme":"${payload}` } }),
      /unreadable authorization data/,
    );
    add('data environment', 'succeed', (f) => arm(f, { environment: `AzureCloud${payload}` }));
    add('data activeDirectoryAuthority', 'fail', (f) => arm(f, { activeDirectoryAuthority: `https://127.0.0.1:1/${payload}` }));
    add('endpoint URL with verifyAccess', 'either', (f) =>
      withEndpoint(f, (e) => ({ ...e, url: `${f.cloud.collectionUri}${payload}` }), { verifyAccess: 'true' }),
    );
  }
  return cases;
}

function claimCases(): HostileCase[] {
  return PAYLOAD_ENTRIES.flatMap(([payloadName, payload]) =>
    [true, false].map((matching): HostileCase => ({
      category: 'claims',
      name: `connection name in the legacy subject, ${matching ? 'matching' : 'not matching'}: ${payloadName}`,
      outcome: matching ? 'succeed' : 'fail',
      message: matching ? undefined : /^Microsoft Entra ID found no federated credential on app .* subject 'sc:\/\/contoso\/Platform\/x /s,
      options: (f) => {
        const identity = namedIdentity(f, `x ${payload}`, matching);
        return { ...devops(f, { azureDevOpsServiceConnection: identity.connection.id }), endpoints: [endpointFor(identity)] };
      },
    })),
  );
}

function serverCases(): HostileCase[] {
  const cases: HostileCase[] = [];
  const json = (value: unknown) => JSON.stringify(value);
  for (const [payloadName, payload] of PAYLOAD_ENTRIES) {
    const add = (name: string, rest: Omit<HostileCase, 'category' | 'name'>): void => {
      cases.push({ category: 'server', name: `${name}: ${payloadName}`, ...rest });
    };
    add('Entra error_description', {
      outcome: 'fail',
      message: /^Microsoft Entra ID refused the token request .*\(AADSTS50000\): /,
      faults: (f) => {
        f.cloud.inject('token', {
          status: 400,
          body: json({ error: 'invalid_request', error_description: `AADSTS50000: ${payload} Trace ID: 1` }),
          times: 5,
        });
      },
      options: (f) => devops(f),
    });
    add('Azure DevOps OIDC refusal message', {
      outcome: 'fail',
      message: /^Azure DevOps refused to issue an OIDC token /,
      faults: (f) => {
        f.cloud.inject('oidc', { status: 403, body: json({ message: payload }) });
      },
      options: (f) => devops(f),
    });
    add('Azure DevOps stage-reference refusal', {
      outcome: 'fail',
      message: /because the current stage does not reference it/,
      faults: (f) => {
        f.cloud.inject('oidc', {
          status: 400,
          body: json({ value: `There is no explicit reference to service connection ${f.scenario.devops.connection.id} ${payload}` }),
        });
      },
      options: (f) => devops(f),
    });
    add('Entra 500 with a text body', {
      outcome: 'fail',
      message: /^Microsoft Entra ID at .* did not issue a token/,
      faults: (f) => {
        f.cloud.inject('token', { status: 500, body: payload, times: 5 });
      },
      options: (f) => devops(f),
    });
    add('OpenID configuration with a hostile token endpoint', {
      outcome: 'fail',
      faults: (f) => {
        f.cloud.inject('openid', {
          status: 200,
          body: json({ token_endpoint: `https://127.0.0.1:1/${payload}`, issuer: payload, authorization_endpoint: payload }),
          times: 5,
        });
      },
      options: (f) => devops(f),
    });
    add('connectionData display name', {
      outcome: 'succeed',
      options: (f) => {
        const identity = namedIdentity(f, 'ado-display', true, `Build ${payload}`);
        return {
          ...devops(f, {
            azureDevOpsServiceConnection: identity.connection.id,
            verifyAccess: 'true',
            organizationUrl: f.cloud.collectionUri,
          }),
          endpoints: [endpointFor(identity)],
        };
      },
    });
    add('connectionData error body', {
      outcome: 'fail',
      faults: (f) => {
        f.cloud.inject('connectionData', { status: 500, body: payload, times: 10 });
      },
      options: (f) => devops(f, { verifyAccess: 'true', organizationUrl: f.cloud.collectionUri }),
    });
    add('proxy refusal', {
      outcome: 'fail',
      // The proxy's own 502 reads as Azure DevOps's today (reported in issue 11).
      message: /^Could not reach |^Azure DevOps could not issue an OIDC token \(HTTP 502\)/,
      options: async (f) => {
        // A status line cannot hold a line break; the body can.
        const proxy = await startConnectProxy({
          routes: {},
          refusal: { status: `502 Bad ${payload.replace(/[\r\n]/g, ' ')}`, body: payload },
        });
        PROXIES.push(proxy);
        return devops(f, {}, { HTTPS_PROXY: proxy.url });
      },
    });
  }
  return cases;
}

export function hostileCases(): HostileCase[] {
  return [...inputCases(), ...endpointCases(), ...claimCases(), ...serverCases()];
}
