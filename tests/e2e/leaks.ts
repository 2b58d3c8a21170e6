// The leak rule every end-to-end test applies to the task's full output: a secret (or a derived form of it)
// appears on no line before the line that registers exactly that form, and afterwards only inside commands
// that register secrets or set variables (tool configuration must be non-secret to reach a later step's
// environment; the agent masks the registered token inside it). Never in debug lines, issues or plain output,
// in no encoding (URL, JSON, base64 of the value in any context), not in pieces, and not split across lines.
// The job token appears nowhere.
import assert from 'node:assert/strict';
import { derivedForms } from '../../tasks/EntraToken/v1/src/common/secrets';
import type { LogCommand, TaskRun } from './agent';
import { fragments, leakForms, splitAcross } from './leak-forms';

function registersSecret(command: LogCommand | undefined): command is LogCommand {
  if (!command) return false;
  return command.area === 'task.setsecret' || (command.area === 'task.setvariable' && command.properties.issecret === 'true');
}

function setsVariable(command: LogCommand | undefined): command is LogCommand {
  return command?.area === 'task.setvariable';
}

/** Where the secret may appear at all: nowhere for the job token, in registering or variable commands for the rest. */
type Allowed = (index: number) => boolean;

function assertNoEncodedForms(run: TaskRun, name: string, value: string, allowed: Allowed): void {
  const forms = leakForms(value);
  const pieces = fragments(value);
  run.lines.forEach((text, index) => {
    if (allowed(index)) return;
    const form = forms.find((candidate) => text.includes(candidate));
    assert.equal(form, undefined, `${name} (in the form '${form?.slice(0, 12) ?? ''}…') appears on output line ${index + 1}`);
    assert.ok(!pieces.some((piece) => text.includes(piece)), `a piece of ${name} appears on output line ${index + 1}`);
  });
  const content = (index: number): string => run.commands.find((c) => c.line === index)?.message ?? run.lines[index] ?? '';
  for (let index = 0; index + 1 < run.lines.length; index += 1) {
    if (allowed(index) && allowed(index + 1)) continue;
    assert.ok(
      !splitAcross(content(index), content(index + 1), value),
      `${name} is split across output lines ${index + 1} and ${index + 2}`,
    );
  }
}

export function assertNoLeaks(run: TaskRun, secrets: { readonly jobToken: string; readonly tokens: readonly string[] }): void {
  const byLine = new Map(run.commands.map((command) => [command.line, command]));
  for (const form of derivedForms(secrets.jobToken)) {
    const line = run.lines.findIndex((text) => text.includes(form));
    assert.equal(line, -1, `the job token (or a form of it) appears on output line ${line + 1}`);
  }
  assertNoEncodedForms(run, 'the job token', secrets.jobToken, () => false);
  for (const token of secrets.tokens) {
    for (const form of derivedForms(token)) {
      let registered = false;
      run.lines.forEach((text, index) => {
        if (!text.includes(form)) return;
        const command = byLine.get(index);
        const registration = registersSecret(command) && command.message === form;
        assert.ok(registered || registration, `a token form appears on output line ${index + 1} before it was registered as a secret`);
        assert.ok(
          registersSecret(command) || setsVariable(command),
          `a token form appears on output line ${index + 1}, outside a secret-registering or variable-setting command`,
        );
        registered = true;
      });
    }
    assertNoEncodedForms(run, 'a token', token, (index) => {
      const command = byLine.get(index);
      return registersSecret(command) || setsVariable(command);
    });
  }
}
