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
    {
      name: 'a token printed before it is registered',
      lines: ['got access-token-456', '##vso[task.setsecret]access-token-456'],
      expected: /line 1 before it was registered/,
    },
    {
      name: 'a token inside a debug command after registration',
      lines: ['##vso[task.setsecret]access-token-456', '##vso[task.debug]token=access-token-456'],
      expected: /line 2, outside/,
    },
    {
      name: 'a token in a non-secret variable before it was registered',
      lines: ['##vso[task.setvariable variable=H;issecret=false;]x access-token-456', '##vso[task.setsecret]access-token-456'],
      expected: /line 1 before it was registered/,
    },
    {
      name: 'a token in a warning after registration',
      lines: ['##vso[task.setsecret]access-token-456', '##vso[task.issue type=warning;]access-token-456'],
      expected: /line 2, outside/,
    },
    {
      name: 'a secret command that carries more than the form it registers',
      lines: ['##vso[task.setsecret]x access-token-456'],
      expected: /line 1 before it was registered/,
    },
    {
      name: 'the base64 form printed',
      lines: ['##vso[task.setsecret]access-token-456', `auth ${Buffer.from(':access-token-456').toString('base64')}`],
      expected: /line 2/,
    },
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

describe('assertNoLeaks: encoded, escaped and split forms', () => {
  // A JWT-shaped token (its signature is the part unique to it) and a client-secret-like value with characters
  // that URL encoding and JSON escaping change.
  const jwt = `eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzYzovL28vcC9uIn0.Qk9Yc2lnbmF0dXJlLXJhbmRvbS1ieXRlcy0wMTIzNDU2Nzg5YWJjZGVm`;
  const secret = 'p+ss/w"rd\\with=odd&chars-0123456789';
  const tokens = { jobToken: 'job-token-0123456789-abcdefghij-KLMNOP', tokens: [jwt, secret] };
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  const b64url = (text: string) => Buffer.from(text).toString('base64url');
  const half = Math.floor(jwt.length / 2);
  const cases: { name: string; lines: string[]; expected: RegExp }[] = [
    { name: 'base64 of the token', lines: [`x ${b64(jwt)}`], expected: /a token \(in the form/ },
    { name: 'URL-safe base64 of the token', lines: [`x ${b64url(jwt)}`], expected: /a token/ },
    { name: 'base64 of :token', lines: [`Authorization: Basic ${b64(`:${jwt}`)}`], expected: /a token/ },
    { name: 'base64 of user:token', lines: [`Authorization: Basic ${b64(`build:${jwt}`)}`], expected: /a token/ },
    { name: 'base64 of a longer user:token', lines: [`Authorization: Basic ${b64(`VssSessionToken:${jwt}`)}`], expected: /a token/ },
    { name: 'base64 of the token inside JSON', lines: [b64(JSON.stringify({ password: jwt }))], expected: /a token/ },
    {
      name: 'URL-encoded secret in a query',
      lines: [`GET https://x.example/?s=${encodeURIComponent(secret)}`],
      expected: /a token \(in the form 'p%2Bss/,
    },
    { name: 'JSON-escaped secret', lines: [`{"secret":${JSON.stringify(secret)}}`], expected: /a token \(in the form 'p\+ss\/w\\"rd/ },
    { name: 'URL-encoded base64 of the secret', lines: [`token=${encodeURIComponent(b64(`u:${secret}`))}`], expected: /a token/ },
    {
      name: 'a 30-character piece of the signature',
      lines: [`sig ${jwt.slice(-45, -15)}`],
      expected: /a piece of a token appears on output line 1/,
    },
    {
      name: 'the token split in halves across lines',
      lines: ['starting', `token: ${jwt.slice(0, half)}`, jwt.slice(half)],
      expected: /a piece of a token appears on output line 3/,
    },
    {
      name: 'the token split across two debug lines',
      lines: [`##vso[task.debug]a ${jwt.slice(0, 20)}`, `##vso[task.debug]${jwt.slice(20)}`],
      expected: /split across output lines 1 and 2|a piece of/,
    },
    { name: 'the base64 of the job token', lines: [b64(`x:${tokens.jobToken}`)], expected: /the job token/ },
    {
      name: 'the job token split across lines',
      lines: [`a ${tokens.jobToken.slice(0, 10)}`, `${tokens.jobToken.slice(10)} b`],
      expected: /a piece of the job token appears on output line 2/,
    },
  ];
  for (const testCase of cases) {
    it(testCase.name, () => {
      assert.throws(() => {
        assertNoLeaks(runOf(testCase.lines), tokens);
      }, testCase.expected);
    });
  }

  // Values too short to have pieces: only the line-join check can see them.
  const short: [string, string[], RegExp][] = [
    ['a short token split across lines', ['got access-tok', 'en-456 back'], /a token is split across output lines 1 and 2/],
    [
      'a short token split across a plain line and a debug line',
      ['x access-', '##vso[task.debug]token-456'],
      /a token is split across output lines 1 and 2/,
    ],
    ['a short job token split across lines', ['job-tok', 'en-123'], /the job token is split across output lines 1 and 2/],
  ];
  for (const [name, lines, expected] of short) {
    it(name, () => {
      assert.throws(() => {
        assertNoLeaks(runOf(lines), SECRETS);
      }, expected);
    });
  }

  it('accepts the base64 forms inside the commands that register them and in tool variables', () => {
    const run = runOf([
      `##vso[task.setsecret]${jwt}`,
      `##vso[task.setsecret]${b64(`:${jwt}`)}`,
      `##vso[task.setvariable variable=GIT_CONFIG_VALUE_0;isOutput=false;issecret=false;]AUTHORIZATION: basic ${b64(`build:${jwt}`)}`,
      `##vso[task.setvariable variable=T;isOutput=false;issecret=true;]${jwt}`,
      'done',
    ]);

    assert.doesNotThrow(() => {
      assertNoLeaks(run, { jobToken: tokens.jobToken, tokens: [jwt] });
    });
  });
});
