// The leak rule every end-to-end test applies to the task's full output: a secret (or a derived form of it)
// appears on no line before the line that registers exactly that form, and afterwards only inside the
// commands that register secrets. The job token appears nowhere.
import assert from 'node:assert/strict';
import { derivedForms } from '../../tasks/EntraToken/v1/src/secrets';
import type { LogCommand, TaskRun } from './agent';

function registersSecret(command: LogCommand | undefined): command is LogCommand {
  if (!command) return false;
  return command.area === 'task.setsecret' || (command.area === 'task.setvariable' && command.properties.issecret === 'true');
}

export function assertNoLeaks(run: TaskRun, secrets: { readonly jobToken: string; readonly tokens: readonly string[] }): void {
  const byLine = new Map(run.commands.map((command) => [command.line, command]));
  for (const form of derivedForms(secrets.jobToken)) {
    const line = run.lines.findIndex((text) => text.includes(form));
    assert.equal(line, -1, `the job token (or a form of it) appears on output line ${line + 1}`);
  }
  for (const token of secrets.tokens) {
    for (const form of derivedForms(token)) {
      let registered = false;
      run.lines.forEach((text, index) => {
        if (!text.includes(form)) return;
        const command = byLine.get(index);
        const secretCommand = registersSecret(command);
        assert.ok(secretCommand, `a token form appears on output line ${index + 1}, outside a secret-registering command`);
        assert.ok(registered || command.message === form, `a token form appears on output line ${index + 1} before it was registered as a secret`);
        registered = true;
      });
    }
  }
}
