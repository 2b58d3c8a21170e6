import assert from 'node:assert/strict';
import { ROOT } from '../../scripts/build';
import { readTaskManifest } from '../../scripts/manifests';
import { renderMessages, renderTemplate, TASK_MESSAGES } from '../../scripts/sync-task-messages';

describe('renderTemplate', () => {
  it('renders each parameter, string, number or list, as its loc placeholder', () => {
    const message = (input: string, status: number, supported: readonly string[], scheme: string) =>
      `${input} failed with ${status}; ${input} supports ${supported.join(', ')}, not ${scheme || '(none)'}`;

    const rendered = renderTemplate(message);

    assert.equal(rendered, '{0} failed with {1}; {0} supports {2}, not {3}');
  });
});

describe('task.json messages', () => {
  for (const task of TASK_MESSAGES) {
    it(`${task.taskJson.slice(ROOT.length + 1)} holds exactly the wording of messages.ts`, () => {
      const expected = renderMessages(task.messages);

      const actual = readTaskManifest(task.taskJson).messages;

      assert.deepEqual(actual, expected, 'task.json messages drifted from src/messages.ts: run `npm run sync-messages`');
    });
  }
});
