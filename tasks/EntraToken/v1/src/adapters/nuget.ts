// NuGet: entries in VSS_NUGET_EXTERNAL_FEED_ENDPOINTS, the JSON the Azure Artifacts credential provider reads.
// Entries an earlier step set are kept, except for feeds this task now configures.
import { TOKEN_USER, type ToolConfiguration } from './tool-configuration';

interface FeedCredential {
  readonly endpoint: string;
  readonly username: string;
  readonly password: string;
}

export const NUGET_VARIABLE = 'VSS_NUGET_EXTERNAL_FEED_ENDPOINTS';

function parseExisting(existing: string | undefined): FeedCredential[] {
  if (!existing?.trim()) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(existing);
  } catch {
    return [];
  }
  const entries: unknown = typeof parsed === 'object' && parsed !== null ? Reflect.get(parsed, 'endpointCredentials') : undefined;
  if (!Array.isArray(entries)) return [];
  return entries.flatMap((entry: unknown) => {
    if (typeof entry !== 'object' || entry === null) return [];
    const endpoint: unknown = Reflect.get(entry, 'endpoint');
    const username: unknown = Reflect.get(entry, 'username');
    const password: unknown = Reflect.get(entry, 'password');
    return typeof endpoint === 'string' && typeof password === 'string'
      ? [{ endpoint, username: typeof username === 'string' ? username : TOKEN_USER, password }]
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
