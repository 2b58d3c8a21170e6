import assert from 'node:assert/strict';
import { Fixture } from './fixture';

/** Each bad line of a new input, and the one error line it must end with. */
const CASES: readonly { readonly inputs: Record<string, string>; readonly expected: RegExp }[] = [
  { inputs: { additionalTokens: 'Graph' }, expected: /^Input 'additionalTokens' has the line 'Graph'\. Give one NAME=SCOPE per line/ },
  {
    inputs: { additionalTokens: 'my-token=https://graph.microsoft.com' },
    expected: /^Input 'additionalTokens' has the line 'my-token=https:\/\/graph\.microsoft\.com': 'my-token' is not a variable name/,
  },
  {
    inputs: { additionalTokens: 'System.X=https://graph.microsoft.com' },
    expected: /^Input 'additionalTokens' has the line 'System\.X=.*reserved prefix/,
  },
  {
    inputs: { additionalTokens: 'Graph=User.Read' },
    expected: /^Input 'additionalTokens' has the line 'Graph=User\.Read': 'User\.Read' is not one scope/,
  },
  {
    inputs: { additionalTokens: 'A=https://a.example\na=https://b.example' },
    expected:
      /^Input 'additionalTokens' has the line 'a=https:\/\/b\.example', but the name 'a' is already used by the line 'A=https:\/\/a\.example'/,
  },
  {
    inputs: { additionalTokens: 'EntraAccessToken=https://a.example' },
    expected: /^Input 'additionalTokens' has the line 'EntraAccessToken=.*already used by input 'variableName'/,
  },
  {
    inputs: { additionalTokens: 'expiresOn=https://a.example' },
    expected: /^Input 'additionalTokens' has the line 'expiresOn=.*already used by the output 'expiresOn'/,
  },
  {
    inputs: { mavenFeeds: 'https://pkgs.example/maven/v1' },
    expected: /^Input 'mavenFeeds' has the line 'https:\/\/pkgs\.example\/maven\/v1'\. Give one name=URL per line/,
  },
  {
    inputs: { mavenFeeds: 'feed=http://pkgs.example/maven/v1' },
    expected: /^Input 'mavenFeeds' has the line 'http:\/\/pkgs\.example\/maven\/v1', which is not an https:\/\/ URL/,
  },
  {
    inputs: { mavenFeeds: 'feed=https://a.example/\nFEED=https://b.example/' },
    expected: /^Input 'mavenFeeds' names 'FEED' on more than one line/,
  },
  {
    inputs: { pypiUploads: 'https://user:pw@pkgs.example/upload/' },
    expected: /^Input 'pypiUploads' has the line 'https:\/\/\*\*\*@pkgs\.example\/upload\/'/,
  },
  {
    inputs: { nugetFeeds: 'my feed=https://pkgs.example/index.json' },
    expected: /^Input 'nugetFeeds' line 1 is 'my feed=https:\/\/pkgs\.example\/index\.json', which contains a space\./,
  },
];

describe('EntraToken refuses a bad line in a new input before any request, end to end', () => {
  let fixture: Fixture;

  before(async () => {
    fixture = await Fixture.start();
  });
  after(async () => {
    await fixture.close();
  });

  for (const testCase of CASES) {
    it(
      Object.entries(testCase.inputs)
        .map(([name, value]) => `${name}: ${value.replace(/\n/g, ' | ')}`)
        .join(', '),
      async () => {
        const { run, requests } = await fixture.run({
          inputs: { azureDevOpsServiceConnection: fixture.scenario.devops.connection.id, ...testCase.inputs },
        });

        const errors = run.commands.filter((c) => c.area === 'task.issue' && c.properties.type === 'error');
        assert.equal(run.exitCode, 1);
        assert.equal(errors.length, 1, run.lines.join('\n'));
        assert.match(errors[0]?.message ?? '', testCase.expected);
        assert.deepEqual(requests, [], 'a request was sent before the input was checked');
      },
    );
  }
});
