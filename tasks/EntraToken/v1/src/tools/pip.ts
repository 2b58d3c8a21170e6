// pip: index URLs with the token in their userinfo, in PIP_EXTRA_INDEX_URL (added to what an earlier step set),
// or in PIP_INDEX_URL when the task is asked to replace the primary index. A second run (a fresh token for the same
// indexes) replaces its own entries instead of adding another copy with the stale token.
import { TOKEN_USER, type ToolConfiguration } from './tool-configuration';
import { variableNames, type ToolModule } from './tool-module';

export function withCredentials(index: string, token: string): string {
  const url = new URL(index);
  url.username = TOKEN_USER;
  url.password = encodeURIComponent(token);
  return url.toString();
}

/** The index an entry points at, whatever credentials it carries. */
function withoutCredentials(index: string): string | undefined {
  if (!URL.canParse(index)) return undefined;
  const url = new URL(index);
  url.username = '';
  url.password = '';
  return url.toString().replace(/\/?$/, '/').toLowerCase();
}

export function configurePip(
  indexes: readonly string[],
  token: string,
  existingExtra: string | undefined,
  replacePrimary: boolean,
): ToolConfiguration {
  if (indexes.length === 0) return { variables: [], files: [], secrets: [] };
  const urls = indexes.map((index) => withCredentials(index, token));
  const [primary, ...rest] = urls;
  const extras = replacePrimary ? rest : urls;
  const ours = new Set(indexes.map(withoutCredentials));
  const previous = (existingExtra ?? '').split(/\s+/).filter((url) => url !== '' && !ours.has(withoutCredentials(url)));
  const variables = [];
  if (replacePrimary && primary !== undefined) variables.push({ name: 'PIP_INDEX_URL', value: primary });
  if (extras.length > 0) variables.push({ name: 'PIP_EXTRA_INDEX_URL', value: [...previous, ...extras].join(' ') });
  // The userinfo form is what a tool may print (e.g. in a pip error), so it is a secret in its own right.
  return { variables, files: [], secrets: urls.map((url) => new URL(url).password).map((password) => `${TOKEN_USER}:${password}`) };
}

export interface PipTargets {
  readonly pipIndexes: readonly string[];
  readonly pipReplaceIndex: boolean;
}

export const pipTool: ToolModule<PipTargets> = {
  name: 'pip',
  inputs: ['pipIndexes', 'pipReplaceIndex'],
  scope: undefined,
  parse: (reader) => ({ pipIndexes: reader.urls('pipIndexes'), pipReplaceIndex: reader.flag('pipReplaceIndex') }),
  isEmpty: (targets) => targets.pipIndexes.length === 0,
  plan: (targets, context) =>
    configurePip(targets.pipIndexes, context.token, context.getSensitiveVariable('PIP_EXTRA_INDEX_URL'), targets.pipReplaceIndex),
  configured: (_targets, configuration) => variableNames(configuration),
};
