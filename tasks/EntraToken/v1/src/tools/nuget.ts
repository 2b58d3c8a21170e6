// NuGet: entries in VSS_NUGET_EXTERNAL_FEED_ENDPOINTS, the JSON the Azure Artifacts credential provider reads.
// Entries an earlier step set are kept, except for feeds this task now configures.
import { TOKEN_USER, type ToolConfiguration } from './tool-configuration';
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
    return endpoint !== undefined && password !== undefined ? [{ endpoint, username: stringField(entry, 'username') ?? TOKEN_USER, password }] : [];
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
