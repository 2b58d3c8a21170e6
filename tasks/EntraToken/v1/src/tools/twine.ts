// twine: TWINE_REPOSITORY_URL, TWINE_USERNAME and TWINE_PASSWORD for one upload URL; for several, also a
// .pypirc under Agent.TempDirectory with one section per URL (named after its feed), for
// `twine upload --config-file "$ENTRATOKEN_PYPIRC" -r <feed>`. Azure Artifacts accepts any user name.
import { join } from 'node:path';
import { TOKEN_USER, type ToolConfiguration } from './tool-configuration';
import { NOTHING, type ToolModule } from './tool-module';

export const PYPIRC_VARIABLE = 'ENTRATOKEN_PYPIRC';

/** The section name for an upload URL: the Azure Artifacts feed name, else the host; unique within the file. */
export function sectionNames(urls: readonly string[]): string[] {
  const used = new Set<string>();
  return urls.map((value) => {
    const url = new URL(value);
    const feed = /\/_packaging\/([^/]+)\//.exec(url.pathname)?.[1];
    const base = decodeURIComponent(feed ?? url.hostname).replace(/[^A-Za-z0-9._-]/g, '-');
    let name = base;
    for (let n = 2; used.has(name.toLowerCase()); n += 1) name = `${base}-${String(n)}`;
    used.add(name.toLowerCase());
    return name;
  });
}

export function pypirc(urls: readonly string[], token: string): string {
  const names = sectionNames(urls);
  const sections = urls.map(
    (url, index) => `[${names[index] ?? ''}]\nrepository = ${url}\nusername = ${TOKEN_USER}\npassword = ${token}\n`,
  );
  return `[distutils]\nindex-servers =\n${names.map((name) => `    ${name}\n`).join('')}\n${sections.join('\n')}`;
}

export function configureTwine(urls: readonly string[], token: string, directory: () => string): ToolConfiguration {
  const [first] = urls;
  if (first === undefined) return NOTHING;
  const credentials = [
    { name: 'TWINE_USERNAME', value: TOKEN_USER },
    { name: 'TWINE_PASSWORD', value: token },
  ];
  const secrets = [Buffer.from(`${TOKEN_USER}:${token}`).toString('base64')];
  if (urls.length === 1) return { variables: [{ name: 'TWINE_REPOSITORY_URL', value: first }, ...credentials], files: [], secrets };
  const path = join(directory(), '.pypirc');
  return { variables: [{ name: PYPIRC_VARIABLE, value: path }, ...credentials], files: [{ path, content: pypirc(urls, token) }], secrets };
}

export interface TwineTargets {
  readonly pypiUploads: readonly string[];
}

export const twineTool: ToolModule<TwineTargets> = {
  name: 'twine',
  inputs: ['pypiUploads'],
  scope: undefined,
  parse: (reader) => ({ pypiUploads: reader.urls('pypiUploads') }),
  isEmpty: (targets) => targets.pypiUploads.length === 0,
  plan: (targets, context) => configureTwine(targets.pypiUploads, context.token, () => context.directory()),
  configured: (_targets, configuration) => configuration.variables.map((variable) => variable.name),
};
