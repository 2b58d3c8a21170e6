import assert from 'node:assert/strict';
import { parseCommand, type TaskRun } from './agent';
import { assertNoLeaks } from './leaks';

function runOf(lines: string[]): TaskRun {
  return { exitCode: 0, lines, commands: lines.flatMap((text, index) => parseCommand(text, index) ?? []), stderr: '' };
}

const SECRETS = { jobToken: 'job-token-123', tokens: ['access-token-456'] };

describe('assertNoLeaks: what passes', () => {
  it('accepts a token registered first and then only inside secret or variable commands', () => {
    const run = runOf([
      'Requesting a token',
      '##vso[task.setsecret]access-token-456',
      '##vso[task.setsecret]Bearer access-token-456',
      '##vso[task.setvariable variable=T;isOutput=false;issecret=true;]access-token-456',
      '##vso[task.setvariable variable=NPM_TOKEN;isOutput=false;issecret=false;]access-token-456',
    ]);

    assert.doesNotThrow(() => {
      assertNoLeaks(run, SECRETS);
    });
  });
});

describe('assertNoLeaks: what fails', () => {
  const cases: { name: string; lines: string[]; expected: RegExp }[] = [
    { name: 'a token printed before it is registered', lines: ['got access-token-456', '##vso[task.setsecret]access-token-456'], expected: /line 1 before it was registered/ },
    { name: 'a token inside a debug command after registration', lines: ['##vso[task.setsecret]access-token-456', '##vso[task.debug]token=access-token-456'], expected: /line 2, outside/ },
    { name: 'a token in a non-secret variable before it was registered', lines: ['##vso[task.setvariable variable=H;issecret=false;]x access-token-456', '##vso[task.setsecret]access-token-456'], expected: /line 1 before it was registered/ },
    { name: 'a token in a warning after registration', lines: ['##vso[task.setsecret]access-token-456', '##vso[task.issue type=warning;]access-token-456'], expected: /line 2, outside/ },
    { name: 'a secret command that carries more than the form it registers', lines: ['##vso[task.setsecret]x access-token-456'], expected: /line 1 before it was registered/ },
    { name: 'the base64 form printed', lines: ['##vso[task.setsecret]access-token-456', `auth ${Buffer.from(':access-token-456').toString('base64')}`], expected: /line 2/ },
    { name: 'the job token anywhere', lines: ['##vso[task.setsecret]job-token-123'], expected: /the job token/ },
  ];
  for (const testCase of cases) {
    it(testCase.name, () => {
      assert.throws(() => {
        assertNoLeaks(runOf(testCase.lines), SECRETS);
      }, testCase.expected);
    });
  }
});
