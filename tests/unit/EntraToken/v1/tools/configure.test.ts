import assert from 'node:assert/strict';
import { configureGit, NO_GIT_CONFIG, type ExistingGitConfig } from '../../../../../tasks/EntraToken/v1/src/tools/git';
import { configureNpm, nerfDart } from '../../../../../tasks/EntraToken/v1/src/tools/npm';
import { configureNuget } from '../../../../../tasks/EntraToken/v1/src/tools/nuget';
import { configurePip } from '../../../../../tasks/EntraToken/v1/src/tools/pip';

const TOKEN = 'tok.en-value_1';

/** What an earlier step left: GIT_CONFIG_KEY_n for the keys given, in order. */
function earlierGit(keys: readonly string[]): ExistingGitConfig {
  return { count: String(keys.length), keyAt: (index) => keys[index] };
}

function fromVariables(variables: readonly { readonly name: string; readonly value: string }[]): ExistingGitConfig {
  const value = (name: string) => variables.find((variable) => variable.name === name)?.value;
  return { count: value('GIT_CONFIG_COUNT'), keyAt: (index) => value(`GIT_CONFIG_KEY_${String(index)}`) };
}

describe('configureNuget: the credential provider format', () => {
  it('writes endpointCredentials entries with endpoint, username and the token as password', () => {
    const config = configureNuget(['https://pkgs.example/org/_packaging/f/nuget/v3/index.json'], TOKEN, undefined);

    assert.deepEqual(config.variables, [
      {
        name: 'VSS_NUGET_EXTERNAL_FEED_ENDPOINTS',
        value: JSON.stringify({
          endpointCredentials: [
            { endpoint: 'https://pkgs.example/org/_packaging/f/nuget/v3/index.json', username: 'entratoken', password: TOKEN },
          ],
        }),
      },
    ]);
  });

  it('keeps entries an earlier step set and replaces the one for a feed it configures', () => {
    const existing = JSON.stringify({
      endpointCredentials: [
        { endpoint: 'https://other.example/index.json', username: 'u', password: 'p' },
        { endpoint: 'https://PKGS.example/index.json', password: 'old' },
      ],
    });

    const value = configureNuget(['https://pkgs.example/index.json'], TOKEN, existing).variables[0]?.value ?? '';

    assert.deepEqual(JSON.parse(value), {
      endpointCredentials: [
        { endpoint: 'https://other.example/index.json', username: 'u', password: 'p' },
        { endpoint: 'https://pkgs.example/index.json', username: 'entratoken', password: TOKEN },
      ],
    });
  });

  it('sets nothing when no feed is listed', () => {
    assert.deepEqual(configureNuget([], TOKEN, '{"endpointCredentials":[]}').variables, []);
  });
});

describe('configureNpm: a user .npmrc', () => {
  it('uses nerf darts, adds the parent path for Azure Artifacts registries, and keeps earlier lines', () => {
    const existing =
      'registry=https://registry.example/\n//pkgs.example/o/_packaging/f/npm/registry/:_authToken=old\n//keep.example/:_authToken=kept\n';

    const config = configureNpm(['https://pkgs.example/o/_packaging/f/npm/registry'], TOKEN, existing, '/tmp/x');

    assert.deepEqual(config.variables, [{ name: 'NPM_CONFIG_USERCONFIG', value: '/tmp/x/.npmrc' }]);
    assert.equal(
      config.files[0]?.content,
      [
        'registry=https://registry.example/',
        '//keep.example/:_authToken=kept',
        `//pkgs.example/o/_packaging/f/npm/registry/:_authToken=${TOKEN}`,
        `//pkgs.example/o/_packaging/f/npm/:_authToken=${TOKEN}`,
      ].join('\n') + '\n',
    );
  });

  it('keeps the port in the nerf dart', () => {
    assert.equal(nerfDart('https://127.0.0.1:8443/npm/registry/'), '//127.0.0.1:8443/npm/registry/');
  });
});

describe('configurePip: index URLs with credentials', () => {
  it('adds extra indexes after the ones an earlier step set, and registers the userinfo', () => {
    const config = configurePip(['https://pkgs.example/simple/'], TOKEN, 'https://first.example/simple/', false);

    assert.deepEqual(config.variables, [
      { name: 'PIP_EXTRA_INDEX_URL', value: `https://first.example/simple/ https://entratoken:${TOKEN}@pkgs.example/simple/` },
    ]);
    assert.deepEqual(config.secrets, [`entratoken:${TOKEN}`]);
  });

  it('replaces the entry a first run set for the same index instead of adding a second one', () => {
    const first = configurePip(['https://pkgs.example/simple/'], 'old-token', 'https://first.example/simple/', false);

    const second = configurePip(['https://pkgs.example/simple'], TOKEN, first.variables[0]?.value, false);

    assert.deepEqual(second.variables, [
      { name: 'PIP_EXTRA_INDEX_URL', value: `https://first.example/simple/ https://entratoken:${TOKEN}@pkgs.example/simple` },
    ]);
  });

  it('replaces the primary index with the first URL when asked', () => {
    const config = configurePip(['https://a.example/simple/', 'https://b.example/simple/'], TOKEN, undefined, true);

    assert.deepEqual(
      config.variables.map((v) => v.name),
      ['PIP_INDEX_URL', 'PIP_EXTRA_INDEX_URL'],
    );
    assert.equal(config.variables[0]?.value, `https://entratoken:${TOKEN}@a.example/simple/`);
  });
});

describe('configureGit: GIT_CONFIG_* environment entries', () => {
  it('continues after entries an earlier step set', () => {
    const config = configureGit(
      ['https://dev.azure.com/contoso', 'https://git.example/'],
      TOKEN,
      earlierGit(['core.autocrlf', 'http.https://other.example/.extraheader']),
    );

    assert.deepEqual(config.variables, [
      { name: 'GIT_CONFIG_KEY_2', value: 'http.https://dev.azure.com/contoso.extraheader' },
      { name: 'GIT_CONFIG_VALUE_2', value: `AUTHORIZATION: bearer ${TOKEN}` },
      { name: 'GIT_CONFIG_KEY_3', value: 'http.https://git.example/.extraheader' },
      { name: 'GIT_CONFIG_VALUE_3', value: `AUTHORIZATION: bearer ${TOKEN}` },
      { name: 'GIT_CONFIG_COUNT', value: '4' },
    ]);
    assert.deepEqual(config.secrets, [`AUTHORIZATION: bearer ${TOKEN}`]);
  });
});

describe('configureGit: a second run for the same organizations', () => {
  it('rewrites its own extraheader in place instead of adding a second Authorization header', () => {
    const first = configureGit(['https://dev.azure.com/contoso'], 'old-token', earlierGit(['core.autocrlf']));

    const second = configureGit(['https://dev.azure.com/contoso'], TOKEN, fromVariables(first.variables));

    assert.deepEqual(second.variables, [
      { name: 'GIT_CONFIG_KEY_1', value: 'http.https://dev.azure.com/contoso.extraheader' },
      { name: 'GIT_CONFIG_VALUE_1', value: `AUTHORIZATION: bearer ${TOKEN}` },
      { name: 'GIT_CONFIG_COUNT', value: '2' },
    ]);
  });

  it('empties the header of a run without the service when the helper takes over', () => {
    const first = configureGit(['https://dev.azure.com/contoso'], 'old-token', NO_GIT_CONFIG);

    const second = configureGit(['https://dev.azure.com/contoso'], TOKEN, fromVariables(first.variables), '!helper');

    assert.deepEqual(second.variables, [
      { name: 'GIT_CONFIG_KEY_1', value: 'credential.https://dev.azure.com/contoso.helper' },
      { name: 'GIT_CONFIG_VALUE_1', value: '' },
      { name: 'GIT_CONFIG_KEY_2', value: 'credential.https://dev.azure.com/contoso.helper' },
      { name: 'GIT_CONFIG_VALUE_2', value: '!helper' },
      { name: 'GIT_CONFIG_KEY_0', value: 'http.https://dev.azure.com/contoso.extraheader' },
      { name: 'GIT_CONFIG_VALUE_0', value: '' },
      { name: 'GIT_CONFIG_COUNT', value: '3' },
    ]);
  });
});

describe('configureGit: with the token service as credential helper', () => {
  it('resets the helper list for each organization before adding its own helper', () => {
    const config = configureGit(
      ['https://dev.azure.com/contoso', 'https://dev.azure.com/fabrikam'],
      TOKEN,
      NO_GIT_CONFIG,
      "!'/node' '/index.js' --git-credential",
    );

    assert.deepEqual(config.variables, [
      { name: 'GIT_CONFIG_KEY_0', value: 'credential.https://dev.azure.com/contoso.helper' },
      { name: 'GIT_CONFIG_VALUE_0', value: '' },
      { name: 'GIT_CONFIG_KEY_1', value: 'credential.https://dev.azure.com/contoso.helper' },
      { name: 'GIT_CONFIG_VALUE_1', value: "!'/node' '/index.js' --git-credential" },
      { name: 'GIT_CONFIG_KEY_2', value: 'credential.https://dev.azure.com/fabrikam.helper' },
      { name: 'GIT_CONFIG_VALUE_2', value: '' },
      { name: 'GIT_CONFIG_KEY_3', value: 'credential.https://dev.azure.com/fabrikam.helper' },
      { name: 'GIT_CONFIG_VALUE_3', value: "!'/node' '/index.js' --git-credential" },
      { name: 'GIT_CONFIG_COUNT', value: '4' },
    ]);
    assert.deepEqual(config.secrets, []);
  });
});
