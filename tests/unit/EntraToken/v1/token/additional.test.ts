import assert from 'node:assert/strict';
import { parseAdditionalTokens } from '../../../../../tasks/EntraToken/v1/src/token/additional';

const TAKEN = new Map([['EntraAccessToken', "input 'variableName'"]]);

describe('parseAdditionalTokens: NAME=SCOPE lines', () => {
  it('normalises each scope, skipping blanks and comments', () => {
    const parsed = parseAdditionalTokens(
      'Graph=https://graph.microsoft.com\n\n# comment\r\nArm = https://management.azure.com/.default\n',
      TAKEN,
    );

    assert.deepEqual(parsed, [
      { name: 'Graph', scope: 'https://graph.microsoft.com/.default' },
      { name: 'Arm', scope: 'https://management.azure.com/.default' },
    ]);
  });

  it('refuses a name whose _expiresOn companion another line already uses', () => {
    assert.throws(
      () => parseAdditionalTokens('A_expiresOn=https://a.example\nA=https://b.example', TAKEN),
      /line 'A=https:\/\/b\.example', but the name 'A_expiresOn' is already used/,
    );
  });

  it('refuses the main variable name in any case', () => {
    assert.throws(() => parseAdditionalTokens('entraaccesstoken=https://a.example', TAKEN), /already used by input 'variableName'/);
  });
});
