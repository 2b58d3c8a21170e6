import assert from 'node:assert/strict';
import { neutralise } from '../../../../../tasks/EntraToken/v1/src/common/neutralise';

// The agent's own rule, as a predicate: a command starts at the first `##vso[` of a line; a line starting with
// `##[` is formatting. Every neutralised text must be one line on which neither holds.
function agentWouldAct(text: string): boolean {
  return text.split(/\r\n|[\r\n]/).some((line) => line.includes('##vso[') || line.startsWith('##['));
}

describe('neutralise: commands and formatting', () => {
  const cases: [string, string, string][] = [
    ['a command at the start', '##vso[task.setvariable variable=X]evil', '##_vso[task.setvariable variable=X]evil'],
    [
      'a command in the middle',
      "subject 'sc://o/p/##vso[task.complete result=Succeeded]'",
      "subject 'sc://o/p/##_vso[task.complete result=Succeeded]'",
    ],
    ['an upper-case marker', '##VSO[task.debug]x', '##_VSO[task.debug]x'],
    ['formatting', '##[error]fake', '##_[error]fake'],
    ['two markers on one line', '##vso[a.b]##[group]', '##_vso[a.b]##_[group]'],
    ['a marker after extra hashes', '###vso[a.b]', '###_vso[a.b]'],
  ];
  for (const [name, given, expected] of cases) {
    it(name, () => {
      const result = neutralise(given);

      assert.equal(result, expected);
      assert.equal(agentWouldAct(result), false);
    });
  }
});

describe('neutralise: line breaks become visible', () => {
  const cases: [string, string, string][] = [
    ['LF', 'a\n##[error]b', 'a⏎##_[error]b'],
    ['CR', 'a\r##vso[task.complete]', 'a⏎##_vso[task.complete]'],
    ['CRLF counts once', 'a\r\nb', 'a⏎b'],
    ['Unicode line and paragraph separators, NEL, VT and FF', 'a\u2028b\u2029c\u0085d\ve\ff', 'a⏎b⏎c⏎d⏎e⏎f'],
  ];
  for (const [name, given, expected] of cases) {
    it(name, () => {
      assert.equal(neutralise(given), expected);
    });
  }
});

describe('neutralise: invisible characters cannot hide a marker', () => {
  const cases: [string, string, string][] = [
    ['a zero-width space inside the marker', '##\u200bvso[task.setvariable variable=X]y', '##<U+200B>vso[task.setvariable variable=X]y'],
    ['a NUL inside the marker', '#\u0000#vso[a.b]', '#<U+0000>#vso[a.b]'],
    ['a byte-order mark and a soft hyphen', '\ufeff##\u00ad[error]', '<U+FEFF>##<U+00AD>[error]'],
    ['an ANSI escape', '\u001b[31mred', '<U+001B>[31mred'],
  ];
  for (const [name, given, expected] of cases) {
    it(name, () => {
      assert.equal(neutralise(given), expected);
    });
  }
});

describe('neutralise: ordinary text', () => {
  it('leaves text without markers, breaks or invisible characters as it is, tabs and non-ASCII included', () => {
    const text = "Service connection 'ado-wif' (azureDevOps):\ttenant 7d1e…, client Zoë # 1 [ok]";

    assert.equal(neutralise(text), text);
  });

  it('changes nothing the second time', () => {
    const once = neutralise('x\r\n##\u200bvso[a.b]##[error]\u2028##VSO[c.d]');

    assert.equal(neutralise(once), once);
  });
});
