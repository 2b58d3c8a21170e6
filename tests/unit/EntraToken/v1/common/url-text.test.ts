import assert from 'node:assert/strict';
import { forbiddenCharacter, listEntries, requireUrlText } from '../../../../../tasks/EntraToken/v1/src/common/url-text';
import { TaskError } from '../../../../../tasks/EntraToken/v1/src/common/messages';
import { readInputs } from '../../../../../tasks/EntraToken/v1/src/inputs';

describe('forbiddenCharacter: what a URL or scope input may not hold', () => {
  const cases: [string, string][] = [
    ['https://a.example/#frag', "'#'"],
    ['https://a.example/##vso[task.complete]', "'#'"],
    ['https://a.example/[x', "'['"],
    ['https://a.example/x]', "']'"],
    ['https://a.example/ x', 'a space'],
    ['https://a.example/\tx', 'a tab'],
    ['https://a.example/\nx', 'a line break'],
    ['https://a.example/\rx', 'a line break'],
    ['https://a.example/\u0007x', 'the invisible or control character U+0007'],
    ['https://a.example/\u200bx', 'the invisible or control character U+200B'],
    ['https://a.example/\u2028x', 'the invisible or control character U+2028'],
    ['https://a.example/\u00a0x', 'the invisible or control character U+00A0'],
  ];
  for (const [value, expected] of cases) {
    it(`finds ${expected} in ${JSON.stringify(value)}`, () => {
      assert.equal(forbiddenCharacter(value), expected);
    });
  }

  it('accepts plain URLs, GUID scopes and domains', () => {
    for (const value of [
      'https://pkgs.dev.azure.com/o/_packaging/f/npm/registry/',
      '499b84ac-1321-427f-aa17-267ca6975798/.default',
      'contoso.onmicrosoft.com',
      'api://my-api?x=1&y=%20',
    ]) {
      assert.equal(forbiddenCharacter(value), undefined, value);
    }
  });
});

describe('requireUrlText: the message', () => {
  it('names the input, the line, the character and gives an example', () => {
    assert.throws(
      () => requireUrlText('nugetFeeds', 'https://x.example/[a', 'https://feed.example/index.json', 3),
      (error: unknown) => {
        assert.ok(error instanceof TaskError);
        assert.equal(
          error.message,
          "Input 'nugetFeeds' line 3 is 'https://x.example/[a', which contains '['. URLs and scopes may not contain '#', '[', ']', spaces or control characters; give a plain value, for example 'https://feed.example/index.json'.",
        );
        return true;
      },
    );
  });
});

describe('requireUrlText: user info', () => {
  it('masks a password in the value it quotes', () => {
    assert.throws(
      () => requireUrlText('pipIndexes', 'https://u:hunter2@x.example/[simple', 'https://x.example/simple/', 1),
      (error: unknown) => {
        assert.ok(error instanceof TaskError);
        assert.ok(!error.message.includes('hunter2'), error.message);
        assert.match(error.message, /'https:\/\/\*\*\*@x\.example\/\[simple'/);
        return true;
      },
    );
  });
});

describe('listEntries: line numbers of a list input', () => {
  it('counts lines, splits commas within a line and drops blanks', () => {
    assert.deepEqual(listEntries('a, b\n\n c \r\nd'), [
      { text: 'a', line: 1 },
      { text: 'b', line: 1 },
      { text: 'c', line: 3 },
      { text: 'd', line: 4 },
    ]);
  });
});

describe('readInputs: every URL and scope input applies the rule', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ scope: 'https://graph.microsoft.com/#/.default' }, /^Input 'scope' is .*which contains '#'.*for example '499b84ac/],
    [{ scope: 'https://graph.microsoft.com/\u200b' }, /^Input 'scope' is .*U\+200B/],
    [
      { tokenServiceScopes: 'https://management.azure.com\nhttps://vault.azure.net/[x]' },
      /^Input 'tokenServiceScopes' line 2 is .*which contains '\['/,
    ],
    [
      { organizationUrl: 'https://dev.azure.com/con\ntoso' },
      /^Input 'organizationUrl' is .*a line break.*for example 'https:\/\/dev\.azure\.com\/contoso'/s,
    ],
    [{ tenantId: 'contoso.onmicrosoft.com#x' }, /^Input 'tenantId' is .*which contains '#'/],
    [
      { nugetFeeds: 'https://a.example/index.json\nhttps://b.example/##vso[task.complete]/index.json' },
      /^Input 'nugetFeeds' line 2 is .*'#'/,
    ],
    [{ npmRegistries: 'https://a.example/npm/ registry/' }, /^Input 'npmRegistries' line 1 is .*a space/],
    [{ pipIndexes: 'https://a.example/simple/\u0000' }, /^Input 'pipIndexes' line 1 .*U\+0000/],
    [{ gitOrganizations: '# comment\nhttps://dev.azure.com/o]' }, /^Input 'gitOrganizations' line 2 is .*'\]'/],
  ];
  for (const [inputs, expected] of cases) {
    it(JSON.stringify(inputs), () => {
      assert.throws(
        () => readInputs({ getInput: (name) => ({ azureDevOpsServiceConnection: 'c', ...inputs })[name] }),
        (error: unknown) => {
          assert.ok(error instanceof TaskError);
          assert.match(error.message, expected);
          return true;
        },
      );
    });
  }
});
