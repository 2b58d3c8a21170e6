import assert from 'node:assert/strict';
import { assertNoRuntimeWarnings, assertOnlyTaskCommands, parseCommand, runtimeWarnings, taskRunFrom, toRun } from './agent';
import { expectedVariables, matchesPattern } from './commands';

describe('parseCommand: finds a command the way the agent does', () => {
  it('anywhere in a line, not only at its start', () => {
    const command = parseCommand("OIDC token: subject 'sc://o/p/##vso[task.setvariable variable=X;issecret=false]evil'", 0);

    assert.equal(command?.area, 'task.setvariable');
    assert.equal(command.properties.variable, 'X');
    assert.equal(command.message, "evil'");
  });

  it("through the zero-width characters that the agent's culture-aware search skips", () => {
    assert.equal(parseCommand('x ##\u200bvso[task.complete result=Succeeded]done', 0)?.area, 'task.complete');
  });

  it('only the first on a line', () => {
    assert.equal(parseCommand('##vso[task.debug]a ##vso[task.complete result=Succeeded]', 0)?.area, 'task.debug');
  });

  it('not when the name lacks two parts, the bracket does not close, or the marker is neutralised', () => {
    for (const text of ['##vso[task]x', '##vso[task.setvariable variable=X', '##_vso[task.complete]x', '##vso[.debug]x']) {
      assert.equal(parseCommand(text, 0), undefined, text);
    }
  });
});

describe('toRun: lines and formatting', () => {
  it('splits at CR as the agent does and reports formatting lines', () => {
    const run = toRun(0, 'one\rtwo\r\n##[error]fake\n  ##[group]x\n##_[error]safe\n');

    assert.deepEqual(run.lines, ['one', 'two', '##[error]fake', '  ##[group]x', '##_[error]safe']);
    assert.deepEqual(run.formatting, [2, 3]);
  });
});

describe('assertOnlyTaskCommands: what the task may say', () => {
  const inputs = { variableName: 'MyToken', gitOrganizations: 'https://dev.azure.com/o' };

  it('accepts its own commands and the variables its inputs ask for', () => {
    const run = toRun(
      0,
      [
        '##vso[task.debug]x',
        '##vso[task.setsecret]t',
        '##vso[task.setvariable variable=MyToken;isOutput=false;issecret=true;]t',
        '##vso[task.setvariable variable=GIT_CONFIG_KEY_3;isOutput=false;issecret=false;]k',
        '##vso[task.setvariable variable=accessToken;isOutput=true;issecret=true;]t',
        '##vso[task.issue type=error;]bad',
        '##vso[task.complete result=Failed;]bad',
      ].join('\n'),
    );

    assert.doesNotThrow(() => {
      assertOnlyTaskCommands(run, inputs);
    });
  });

  it("accepts the docker credential helper's folder on PATH with the token service and a registry", () => {
    const run = toRun(0, '##vso[task.prependpath]/agent/_temp/entratoken-x');

    assert.doesNotThrow(() => {
      assertOnlyTaskCommands(run, { tokenService: 'true', containerRegistries: 'contoso.azurecr.io' });
    });
  });

  const refused: [string, string, RegExp][] = [
    ['another command area', '##vso[build.updatebuildnumber]1', /command build\.updatebuildnumber/],
    ['a command in the middle of a line', 'subject sc://o/p/##vso[task.debug]x', /task\.debug in the middle of a line/],
    ['a variable no input asks for', '##vso[task.setvariable variable=PATH;]x', /variable PATH/],
    ['a task variable the task does not use', '##vso[task.settaskvariable variable=Other;]x', /task variable Other/],
    ['a formatting line', '##[error]fake', /formatting "##\[error\]fake"/],
    ['a PATH change without the docker credential helper', '##vso[task.prependpath]/tmp/evil', /prependpath \/tmp\/evil/],
  ];
  for (const [name, line, expected] of refused) {
    it(`refuses ${name}`, () => {
      assert.throws(() => {
        assertOnlyTaskCommands(toRun(0, line), inputs);
      }, expected);
    });
  }
});

describe('expectedVariables: names per input', () => {
  it('derives the names from the inputs, globs included', () => {
    const names = expectedVariables({ variableName: '', environmentVariables: 'A_TOKEN\nB_TOKEN', tokenService: 'true' });

    assert.ok(['EntraAccessToken', 'A_TOKEN', 'B_TOKEN', 'IDENTITY_HEADER', 'accessToken'].every((name) => names.includes(name)));
    assert.ok(!names.includes('VSS_NUGET_EXTERNAL_FEED_ENDPOINTS'));
    assert.ok(matchesPattern('git_config_value_12', 'GIT_CONFIG_VALUE_*'));
    assert.ok(!matchesPattern('GIT_CONFIG_VALUEX', 'GIT_CONFIG_VALUE_'));
  });
});

describe('runtimeWarnings: what counts as Node printing a warning', () => {
  it('finds deprecation and plain warnings, and not the task log or the --trace hint', () => {
    const stderr = [
      '(node:4242) [DEP0169] DeprecationWarning: `url.parse()` behavior is not standardized.',
      '(Use `node --trace-deprecation ...` to show where the warning was created)',
      '(node:4242) Warning: Setting the NODE_TLS_REJECT_UNAUTHORIZED environment variable to 0 makes TLS insecure.',
      '##[warning]This connection uses the legacy issuer',
      'Warning: a line the task printed itself',
    ].join('\n');

    const found = runtimeWarnings(stderr);

    assert.deepEqual(
      found.map((line) => line.slice(0, 24)),
      ['(node:4242) [DEP0169] De', '(node:4242) Warning: Set'],
    );
  });

  it('fails a run whose stderr holds one, naming the runtime', () => {
    const run = taskRunFrom(
      0,
      '##vso[task.complete result=Succeeded;]done\n',
      '(node:7) [DEP0040] DeprecationWarning: The `punycode` module is deprecated.\n',
    );

    assert.throws(() => {
      assertNoRuntimeWarnings(run, '/opt/node24/bin/node');
    }, /Node printed a warning .*\/opt\/node24\/bin\/node.*DEP0040/s);
  });
});
