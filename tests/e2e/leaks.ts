// The leak rule every end-to-end test applies to the task's full output: a secret (or a derived form of it)
// appears on no line before the line that registers exactly that form, and afterwards only inside commands
// that register secrets or set variables (tool configuration must be non-secret to reach a later step's
// environment; the agent masks the registered token inside it). Never in debug lines, issues or plain output.
// The job token appears nowhere.
import assert from 'node:assert/strict';
import { derivedForms } from '../../tasks/EntraToken/v1/src/common/secrets';
import type { LogCommand, TaskRun } from './agent';

function registersSecret(command: LogCommand | undefined): command is LogCommand {
  if (!command) return false;
  return command.area === 'task.setsecret' || (command.area === 'task.setvariable' && command.properties.issecret === 'true');
}

function setsVariable(command: LogCommand | undefined): command is LogCommand {
  return command?.area === 'task.setvariable';
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
        const registration = registersSecret(command) && command.message === form;
        assert.ok(registered || registration, `a token form appears on output line ${index + 1} before it was registered as a secret`);
        assert.ok(registersSecret(command) || setsVariable(command), `a token form appears on output line ${index + 1}, outside a secret-registering or variable-setting command`);
        registered = true;
      });
    }
  }
}
