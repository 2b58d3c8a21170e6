// Reads and validates every input before any network call, so a typo fails in milliseconds with the input's name.
import { readToolTargets, type ToolTargets } from './tools/targets';
import { DEFAULT_SCOPE, TaskError, messages } from './common/messages';
import { GUID, normalizeScope } from './token/scope';
import { parseAdditionalTokens, type NamedScope } from './token/additional';
import { OUTPUTS } from './outputs/export';
import { listEntries, requireUrlText } from './common/url-text';
import { requireSecureUrl } from './http/secure-url';

export const CONNECTION_TYPES = ['azureDevOps', 'azureRM'] as const;
export type ConnectionType = (typeof CONNECTION_TYPES)[number];

export interface TaskInputs {
  readonly connectionType: ConnectionType;
  /** Name of the input that named the connection, for messages. */
  readonly connectionInput: string;
  readonly connectionId: string;
  readonly scope: string;
  readonly variableName: string;
  /** More tokens from the same assertion, each exported under its own name. */
  readonly additionalTokens: readonly NamedScope[];
  readonly verifyAccess: boolean;
  /** Where to verify access; undefined means the connection's URL or System.CollectionUri. */
  readonly organizationUrl: string | undefined;
  /** Overrides the connection's tenant, for a multi-tenant app whose resource lives in another tenant. */
  readonly tenantId: string | undefined;
  /** The tools to configure with the token for the rest of the job. */
  readonly tools: ToolTargets;
  /** Whether to keep a background token service for the rest of the job, and the scopes it may serve. */
  readonly tokenService: { readonly enabled: boolean; readonly scopes: readonly string[]; readonly terraformVariables: boolean };
}

export interface InputSource {
  getInput(name: string): string | undefined;
}

/** Every input the task reads, with the default it applies when the input is empty (task.json must agree). */
export const INPUT_DEFAULTS = {
  connectionType: 'azureDevOps',
  azureDevOpsServiceConnection: undefined,
  connectedServiceNameARM: undefined,
  scope: DEFAULT_SCOPE,
  variableName: 'EntraAccessToken',
  additionalTokens: undefined,
  verifyAccess: 'false',
  organizationUrl: undefined,
  tenantId: undefined,
  nugetFeeds: undefined,
  npmRegistries: undefined,
  pipIndexes: undefined,
  pipReplaceIndex: 'false',
  gitOrganizations: undefined,
  environmentVariables: undefined,
  mavenFeeds: undefined,
  pypiUploads: undefined,
  containerRegistries: undefined,
  tokenService: 'false',
  tokenServiceScopes: undefined,
  terraformVariables: 'false',
} as const satisfies Readonly<Record<string, string | undefined>>;

/** The input that names each kind of connection: the agent hands an aliased input over under its name. */
export const CONNECTION_INPUTS: Readonly<Record<ConnectionType, keyof typeof INPUT_DEFAULTS>> = {
  azureDevOps: 'azureDevOpsServiceConnection',
  azureRM: 'connectedServiceNameARM',
};

/** What messages call each connection input: the name YAML users write (`azureSubscription` is the ARM input's alias). */
export const CONNECTION_INPUT_LABELS: Readonly<Record<ConnectionType, string>> = {
  azureDevOps: 'azureDevOpsServiceConnection',
  azureRM: 'azureSubscription',
};

const RESERVED_PREFIXES = ['system.', 'agent.', 'build.', 'release.', 'endpoint.', 'input.', 'secret.'];

function text(source: InputSource, name: keyof typeof INPUT_DEFAULTS): string {
  return (source.getInput(name) ?? '').trim();
}

function parseConnectionType(value: string): ConnectionType {
  if (value === '') return INPUT_DEFAULTS.connectionType;
  const match = CONNECTION_TYPES.find((type) => type.toLowerCase() === value.toLowerCase());
  if (!match) throw new TaskError(messages.unknownConnectionType(value));
  return match;
}

function parseVariableName(value: string): string {
  const name = value === '' ? INPUT_DEFAULTS.variableName : value;
  if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(name)) throw new TaskError(messages.invalidVariableName(name));
  const reserved = RESERVED_PREFIXES.find((prefix) => name.toLowerCase().startsWith(prefix));
  if (reserved) throw new TaskError(messages.reservedVariableName(name, name.slice(0, reserved.length)));
  return name;
}

function parseBoolean(name: keyof typeof INPUT_DEFAULTS, value: string): boolean {
  if (value === '') return false;
  if (/^true$/i.test(value)) return true;
  if (/^false$/i.test(value)) return false;
  throw new TaskError(messages.invalidBoolean(name, value));
}

function parseOrganizationUrl(value: string): string | undefined {
  if (value === '') return undefined;
  requireUrlText('organizationUrl', value, 'https://dev.azure.com/contoso');
  requireSecureUrl(value, messages.invalidOrganizationUrl);
  return value;
}

function parseTenantId(value: string): string | undefined {
  if (value === '') return undefined;
  requireUrlText('tenantId', value, 'contoso.onmicrosoft.com');
  if (GUID.test(value) || /^(?=.{1,253}$)([a-z0-9-]+\.)+[a-z]{2,}$/i.test(value)) return value;
  throw new TaskError(messages.invalidTenantId(value));
}

/** Names an additional token may not take: the main variable and the task's outputs. */
function takenNames(variableName: string): Map<string, string> {
  const outputs = [...OUTPUTS, 'identityId'].map((name): [string, string] => [name, `the output '${name}'`]);
  return new Map([[variableName, "input 'variableName'"], ...outputs]);
}

function readServiceScopes(source: InputSource): string[] {
  return listEntries(source.getInput('tokenServiceScopes')).map(({ text: entry, line }) =>
    normalizeScope(requireUrlText('tokenServiceScopes', entry, 'https://management.azure.com/.default', line)),
  );
}

export function readInputs(source: InputSource): TaskInputs {
  const connectionType = parseConnectionType(text(source, 'connectionType'));
  const connectionInput = CONNECTION_INPUT_LABELS[connectionType];
  const connectionId = text(source, CONNECTION_INPUTS[connectionType]);
  if (connectionId === '') throw new TaskError(messages.connectionInputMissing(connectionInput, connectionType));
  const scope = normalizeScope(requireUrlText('scope', text(source, 'scope'), DEFAULT_SCOPE));
  const verifyAccess = parseBoolean('verifyAccess', text(source, 'verifyAccess'));
  if (verifyAccess && scope !== DEFAULT_SCOPE) throw new TaskError(messages.verifyNeedsDevOpsScope(scope));
  const variableName = parseVariableName(text(source, 'variableName'));
  const tokenService = parseBoolean('tokenService', text(source, 'tokenService'));
  const terraformVariables = parseBoolean('terraformVariables', text(source, 'terraformVariables'));
  if (terraformVariables && !tokenService) throw new TaskError(messages.terraformNeedsService());
  return Object.freeze({
    connectionType,
    connectionInput,
    connectionId,
    scope,
    variableName,
    additionalTokens: parseAdditionalTokens(text(source, 'additionalTokens'), takenNames(variableName)),
    verifyAccess,
    organizationUrl: parseOrganizationUrl(text(source, 'organizationUrl')),
    tenantId: parseTenantId(text(source, 'tenantId')),
    tools: readToolTargets((name) => source.getInput(name), parseBoolean('pipReplaceIndex', text(source, 'pipReplaceIndex'))),
    tokenService: {
      enabled: tokenService,
      scopes: [...new Set([scope, ...readServiceScopes(source)])],
      terraformVariables,
    },
  });
}
