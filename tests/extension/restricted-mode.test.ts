// task.json declares `restrictions.commands.mode: restricted`: the agent then runs only the commands it allows in
// that mode and logs a warning for the rest. Every command the task and its post-job step emit must be one of
// them; the e2e harness refuses any other (tests/e2e/agent.ts), and this checks the two lists agree.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../scripts/build';
import { readJsonObject } from '../../scripts/manifests';
import { RESTRICTED_MODE_COMMANDS, TASK_COMMANDS, VARIABLES_BY_INPUT } from '../e2e/commands';

const TASK_JSON = join(ROOT, 'tasks', 'EntraToken', 'v1', 'task.json');

describe('task.json: restricted command mode', () => {
  it('declares restricted mode and no task-level variable allow-list (the names depend on inputs)', () => {
    const task = readJsonObject(TASK_JSON);

    assert.deepEqual(Reflect.get(task, 'restrictions'), { commands: { mode: 'restricted' } });
  });

  it('emits only commands the agent allows in restricted mode', () => {
    const refused = [...TASK_COMMANDS].filter((command) => !RESTRICTED_MODE_COMMANDS.has(command));

    assert.deepEqual(refused, []);
  });

  it('knows that restricted mode refuses the commands that upload files or change endpoints', () => {
    for (const command of [
      'task.uploadfile',
      'task.uploadsummary',
      'task.addattachment',
      'task.setendpoint',
      'build.updatebuildnumber',
      'artifact.upload',
    ]) {
      assert.equal(RESTRICTED_MODE_COMMANDS.has(command), false, command);
    }
  });
});

describe('overview.md: the variables a locked-down pipeline must allow', () => {
  it('lists every variable name the task may set, per input', () => {
    const overview = readFileSync(join(ROOT, 'overview.md'), 'utf8');
    const section = overview.slice(overview.indexOf('## Locked-down pipelines'), overview.indexOf('## Security'));

    const missing = Object.values(VARIABLES_BY_INPUT)
      .flat()
      .filter((name) => !section.includes(`\`${name}\``));

    assert.deepEqual(missing, []);
    assert.match(section, /`target\.settableVariables`/);
    // The docker credential helper's folder goes on PATH, which the agent checks as the variable `PATH`.
    assert.match(section, /`PATH`, which the agent checks for `task\.prependpath`/);
  });
});
