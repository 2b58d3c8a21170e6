// Maven: a settings.xml under Agent.TempDirectory with a <server> per `serverId=URL` line, merged into the
// settings an earlier step (ENTRATOKEN_MAVEN_SETTINGS) or the user (~/.m2/settings.xml) had, so mirrors,
// proxies and other servers keep working. Later steps run `mvn -s "$ENTRATOKEN_MAVEN_SETTINGS"`.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { TOKEN_USER, type ToolConfiguration } from './tool-configuration';
import { NOTHING, type ToolModule } from './tool-module';

export const MAVEN_SETTINGS_VARIABLE = 'ENTRATOKEN_MAVEN_SETTINGS';
/** What Maven accepts as a repository or server id. */
const SERVER_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export interface MavenFeed {
  readonly serverId: string;
  readonly url: string;
}

function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function serverBlock(serverId: string, token: string): string {
  return `    <server>\n      <id>${escapeXml(serverId)}</id>\n      <username>${TOKEN_USER}</username>\n      <password>${escapeXml(token)}</password>\n    </server>`;
}

/** The existing settings without the <server> entries this run replaces. */
function withoutServers(settings: string, ids: ReadonlySet<string>): string {
  return settings.replace(/[ \t]*<server>([\s\S]*?)<\/server>[ \t]*\r?\n?/g, (block, body: string) => {
    const id = /<id>\s*([^<]*?)\s*<\/id>/.exec(body)?.[1];
    return id !== undefined && ids.has(id) ? '' : block;
  });
}

export function mavenSettings(feeds: readonly MavenFeed[], token: string, existing: string | undefined): string {
  const servers = feeds.map((feed) => serverBlock(feed.serverId, token)).join('\n');
  const base =
    existing !== undefined && /<\/settings>/.test(existing)
      ? withoutServers(existing, new Set(feeds.map((feed) => feed.serverId)))
      : undefined;
  if (base === undefined) {
    return `<?xml version="1.0" encoding="UTF-8"?>\n<settings xmlns="http://maven.apache.org/SETTINGS/1.0.0">\n  <servers>\n${servers}\n  </servers>\n</settings>\n`;
  }
  if (/<servers\s*\/>/.test(base)) return base.replace(/<servers\s*\/>/, `<servers>\n${servers}\n  </servers>`);
  if (/<servers>/.test(base)) return base.replace(/<servers>/, `<servers>\n${servers}`);
  return base.replace(/<\/settings>(?![\s\S]*<\/settings>)/, `  <servers>\n${servers}\n  </servers>\n</settings>`);
}

export function configureMaven(
  feeds: readonly MavenFeed[],
  token: string,
  existing: string | undefined,
  directory: string,
): ToolConfiguration {
  if (feeds.length === 0) return NOTHING;
  const path = join(directory, 'settings.xml');
  const escaped = escapeXml(token);
  return {
    variables: [{ name: MAVEN_SETTINGS_VARIABLE, value: path }],
    files: [{ path, content: mavenSettings(feeds, token, existing) }],
    secrets: [Buffer.from(`${TOKEN_USER}:${token}`).toString('base64'), ...(escaped === token ? [] : [escaped])],
  };
}

export interface MavenTargets {
  readonly mavenFeeds: readonly MavenFeed[];
}

export const mavenTool: ToolModule<MavenTargets> = {
  name: 'Maven',
  inputs: ['mavenFeeds'],
  scope: undefined,
  parse: (reader) => ({
    mavenFeeds: reader.namedUrls('mavenFeeds', SERVER_ID, true).map((line) => ({ serverId: line.name ?? '', url: line.url })),
  }),
  isEmpty: (targets) => targets.mavenFeeds.length === 0,
  plan: (targets, context) => {
    if (targets.mavenFeeds.length === 0) return NOTHING;
    const earlier = context.readOptionalFile(context.getSensitiveVariable(MAVEN_SETTINGS_VARIABLE));
    const existing = earlier ?? context.readOptionalFile(join(homedir(), '.m2', 'settings.xml'));
    return configureMaven(targets.mavenFeeds, context.token, existing, context.directory());
  },
  configured: (targets) =>
    targets.mavenFeeds.length > 0
      ? [`${MAVEN_SETTINGS_VARIABLE} (servers ${targets.mavenFeeds.map((feed) => feed.serverId).join(', ')})`]
      : [],
};
