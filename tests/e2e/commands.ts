// What the task may say to the agent. Every e2e run is checked against this (agent.ts runTask): a command area
// the task does not emit itself, a formatting line, or a variable the inputs do not ask for means text from
// outside the task became a command. Tools and services that set new variables add their names here.
import { INPUT_DEFAULTS } from '../../tasks/EntraToken/v1/src/inputs';

/**
 * The commands the agent runs in restricted mode (task.json `restrictions.commands.mode: restricted`): those
 * marked `CommandRestriction(AllowedInRestrictedMode = true)` in microsoft/azure-pipelines-agent
 * (Agent.Worker/TaskCommandExtension.cs, Telemetry/TelemetryCommandExtension.cs). Not allowed there:
 * task.uploadsummary, task.uploadfile, task.addattachment, task.setendpoint, and every artifact.*, build.* area.
 */
export const RESTRICTED_MODE_COMMANDS: ReadonlySet<string> = new Set([
  'task.logdetail',
  'task.logissue',
  'task.issue',
  'task.complete',
  'task.setprogress',
  'task.setsecret',
  'task.setvariable',
  'task.debug',
  'task.settaskvariable',
  'task.prependpath',
  'telemetry.publish',
]);

/** The commands EntraToken and its post-job step emit, all through task-lib's command functions. */
export const TASK_COMMANDS: ReadonlySet<string> = new Set([
  'task.debug',
  'task.issue',
  'task.complete',
  'task.setsecret',
  'task.setvariable',
  'task.settaskvariable',
  'task.prependpath',
]);

/** The task variables (task.settaskvariable) the main step hands its post-job step. */
export const TASK_VARIABLES: readonly string[] = ['EntraToken.Files', 'EntraToken.Service'];

/** Job and output variables the task sets, per input (`*` is a glob, as in settableVariables). */
export const VARIABLES_BY_INPUT = {
  always: ['accessToken', 'expiresOn', 'tenantId', 'clientId'],
  variableName: [] as string[], // the input's value, default EntraAccessToken
  verifyAccess: ['identityId'],
  additionalTokens: [] as string[], // each NAME and NAME_expiresOn the input lists
  nugetFeeds: ['VSS_NUGET_EXTERNAL_FEED_ENDPOINTS', 'NuGetPackageSourceCredentials_*'],
  npmRegistries: ['NPM_CONFIG_USERCONFIG'],
  pipIndexes: ['PIP_EXTRA_INDEX_URL', 'PIP_INDEX_URL'],
  gitOrganizations: ['GIT_CONFIG_COUNT', 'GIT_CONFIG_KEY_*', 'GIT_CONFIG_VALUE_*'],
  mavenFeeds: ['ENTRATOKEN_MAVEN_SETTINGS'],
  pypiUploads: ['TWINE_USERNAME', 'TWINE_PASSWORD', 'TWINE_REPOSITORY_URL', 'ENTRATOKEN_PYPIRC'],
  containerRegistries: ['DOCKER_CONFIG', 'REGISTRY_AUTH_FILE'],
  environmentVariables: [] as string[], // each name the input lists
  tokenService: [
    'IDENTITY_ENDPOINT',
    'IDENTITY_HEADER',
    'MSI_ENDPOINT',
    'MSI_SECRET',
    'ENTRATOKEN_SERVICE_URL',
    'ENTRATOKEN_SERVICE_SECRET',
    'AZURE_CLIENT_ID',
    'AZURE_TENANT_ID',
    'AZURE_AUTHORITY_HOST',
    'AZURE_FEDERATED_TOKEN_FILE',
  ],
  terraformVariables: [
    'ARM_USE_OIDC',
    'ARM_OIDC_TOKEN_FILE_PATH',
    'ARM_CLIENT_ID',
    'ARM_TENANT_ID',
    'ARM_ENVIRONMENT',
    'ARM_SUBSCRIPTION_ID',
  ],
} as const;

/** The variable names (patterns) a run with these inputs may set; inputs keyed as in task.json. */
export function expectedVariables(inputs: Readonly<Record<string, string | undefined>>): string[] {
  const names: string[] = [...VARIABLES_BY_INPUT.always, inputs.variableName?.trim() || 'EntraAccessToken'];
  if (/^true$/i.test(inputs.verifyAccess?.trim() ?? '')) names.push(...VARIABLES_BY_INPUT.verifyAccess);
  for (const input of [
    'nugetFeeds',
    'npmRegistries',
    'pipIndexes',
    'gitOrganizations',
    'mavenFeeds',
    'pypiUploads',
    'containerRegistries',
  ] as const) {
    if (inputs[input]?.trim()) names.push(...VARIABLES_BY_INPUT[input]);
  }
  for (const line of (inputs.additionalTokens ?? '').split(/\r?\n/)) {
    const name = /^\s*([^=#\s]+)\s*=/.exec(line)?.[1];
    if (name !== undefined) names.push(name, `${name}_expiresOn`);
  }
  names.push(
    ...(inputs.environmentVariables ?? '')
      .split(/\r?\n|,/)
      .map((name) => name.trim())
      .filter((name) => name !== ''),
  );
  if (/^true$/i.test(inputs.tokenService?.trim() ?? '')) names.push(...VARIABLES_BY_INPUT.tokenService);
  if (/^true$/i.test(inputs.terraformVariables?.trim() ?? '')) names.push(...VARIABLES_BY_INPUT.terraformVariables);
  return names;
}

/** settableVariables matching: a glob with `*`, case-insensitive (the agent uses minimatch with IgnoreCase). */
export function matchesPattern(name: string, pattern: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 'i').test(name);
}

/** The inputs an agent environment carries (INPUT_<NAME>), keyed by their task.json name. */
export function inputsOf(env: Readonly<Record<string, string>>): Record<string, string> {
  const names = Object.keys(INPUT_DEFAULTS);
  return Object.fromEntries(
    names.flatMap((name) => (env[`INPUT_${name.toUpperCase()}`] === undefined ? [] : [[name, env[`INPUT_${name.toUpperCase()}`] ?? '']])),
  );
}
