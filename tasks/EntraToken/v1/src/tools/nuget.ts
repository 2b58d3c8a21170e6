// NuGet: entries in VSS_NUGET_EXTERNAL_FEED_ENDPOINTS, the JSON the Azure Artifacts credential provider reads.
// Entries an earlier step set are kept, except for feeds this task now configures. A `sourceName=URL` line also
// sets NuGetPackageSourceCredentials_<sourceName>, which Arcade-style restores read instead of the provider.
import { mergeConfigurations, TOKEN_USER, type ToolConfiguration } from './tool-configuration';
import { NOTHING, variableNames, type NamedUrl, type ToolModule } from './tool-module';
import { field, parseJson, stringField } from '../common/json';

interface FeedCredential {
  readonly endpoint: string;
  readonly username: string;
  readonly password: string;
}

export const NUGET_VARIABLE = 'VSS_NUGET_EXTERNAL_FEED_ENDPOINTS';

function parseExisting(existing: string | undefined): FeedCredential[] {
  if (!existing?.trim()) return [];
  const entries = field(parseJson(existing), 'endpointCredentials');
  if (!Array.isArray(entries)) return [];
  return entries.flatMap((entry: unknown) => {
    const endpoint = stringField(entry, 'endpoint');
    const password = stringField(entry, 'password');
    return endpoint !== undefined && password !== undefined
      ? [{ endpoint, username: stringField(entry, 'username') ?? TOKEN_USER, password }]
      : [];
  });
}

export function configureNuget(feeds: readonly string[], token: string, existing: string | undefined): ToolConfiguration {
  if (feeds.length === 0) return { variables: [], files: [], secrets: [] };
  const ours = new Set(feeds.map((feed) => feed.toLowerCase()));
  const kept = parseExisting(existing).filter((entry) => !ours.has(entry.endpoint.toLowerCase()));
  const added = feeds.map((endpoint) => ({ endpoint, username: TOKEN_USER, password: token }));
  const value = JSON.stringify({ endpointCredentials: [...kept, ...added] });
  return { variables: [{ name: NUGET_VARIABLE, value }], files: [], secrets: [] };
}

/** NuGet source names as nuget.config spells them; the agent turns '.' into '_' in the environment. */
const SOURCE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export function sourceCredentialsVariable(sourceName: string): string {
  return `NuGetPackageSourceCredentials_${sourceName}`;
}

export function configureSourceCredentials(sources: readonly string[], token: string): ToolConfiguration {
  // NuGet splits the value at ';', and an Entra token never contains one.
  const variables = sources.map((source) => ({
    name: sourceCredentialsVariable(source),
    value: `Username=${TOKEN_USER};Password=${token}`,
  }));
  return { variables, files: [], secrets: [] };
}

export interface NugetTargets {
  readonly nugetFeeds: readonly string[];
  readonly nugetSources: readonly string[];
}

export const nugetTool: ToolModule<NugetTargets> = {
  name: 'NuGet',
  inputs: ['nugetFeeds'],
  scope: undefined,
  parse: (reader) => {
    const lines: NamedUrl[] = reader.namedUrls('nugetFeeds', SOURCE_NAME, false);
    return {
      nugetFeeds: lines.map((line) => line.url),
      nugetSources: lines.flatMap((line) => (line.name === undefined ? [] : [line.name])),
    };
  },
  isEmpty: (targets) => targets.nugetFeeds.length === 0,
  plan: (targets, context) =>
    targets.nugetFeeds.length === 0
      ? NOTHING
      : mergeConfigurations([
          configureNuget(targets.nugetFeeds, context.token, context.getSensitiveVariable(NUGET_VARIABLE)),
          configureSourceCredentials(targets.nugetSources, context.token),
        ]),
  configured: (_targets, configuration) => variableNames(configuration),
};
