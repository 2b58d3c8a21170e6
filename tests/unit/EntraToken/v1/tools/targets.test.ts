import assert from 'node:assert/strict';
import { readToolTargets } from '../../../../../tasks/EntraToken/v1/src/tools/targets';

function read(inputs: Record<string, string>) {
  return readToolTargets((name) => inputs[name], false);
}

describe('readToolTargets: lists', () => {
  it('takes one URL per line, skipping blanks and comments, from any https host', () => {
    const targets = read({
      npmRegistries:
        'https://pkgs.dev.azure.com/o/_packaging/f/npm/registry/\n\n# a comment\nhttps://tfs.corp.example:8443/tfs/c/_packaging/f/npm/registry/\r\n',
    });

    assert.deepEqual(targets.npmRegistries, [
      'https://pkgs.dev.azure.com/o/_packaging/f/npm/registry/',
      'https://tfs.corp.example:8443/tfs/c/_packaging/f/npm/registry/',
    ]);
  });
});

describe('readToolTargets: refusals name the input and the line', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ nugetFeeds: 'http://insecure.example/index.json' }, /Input 'nugetFeeds' has the line 'http:\/\/insecure\.example\/index\.json'/],
    [{ pipIndexes: 'https://user:pw@pkgs.example/simple/' }, /Input 'pipIndexes' has the line .*without a user name or password/],
    [{ gitOrganizations: 'dev.azure.com/contoso' }, /Input 'gitOrganizations' has the line 'dev\.azure\.com\/contoso'/],
    [{ environmentVariables: 'RENOVATE-TOKEN' }, /Input 'environmentVariables' has the line 'RENOVATE-TOKEN'/],
    [{ environmentVariables: 'SYSTEM_ACCESSTOKEN' }, /'SYSTEM_ACCESSTOKEN'.*reserved prefix/],
  ];
  for (const [inputs, expected] of cases) {
    it(Object.values(inputs)[0] ?? '', () => {
      assert.throws(() => read(inputs), expected);
    });
  }
});
