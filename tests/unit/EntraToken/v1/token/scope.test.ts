import assert from 'node:assert/strict';
import { normalizeScope } from '../../../../../tasks/EntraToken/v1/src/token/scope';
import { DEFAULT_SCOPE, TaskError } from '../../../../../tasks/EntraToken/v1/src/common/messages';

describe('normalizeScope: one resource with /.default', () => {
  for (const [input, scope] of [
    ['', DEFAULT_SCOPE],
    ['499b84ac-1321-427f-aa17-267ca6975798', DEFAULT_SCOPE],
    ['https://graph.microsoft.com', 'https://graph.microsoft.com/.default'],
    ['https://graph.microsoft.com/.default', 'https://graph.microsoft.com/.default'],
    ['api://my-app', 'api://my-app/.default'],
  ] as const) {
    it(`'${input}' → '${scope}'`, () => {
      assert.equal(normalizeScope(input), scope);
    });
  }
});

describe('normalizeScope: refusals name the scope input', () => {
  for (const input of ['http://graph.microsoft.com', 'graph', 'https://a.example https://b.example', 'https://a.example,https://b.example', 'https:///.default']) {
    it(`refuses '${input}'`, () => {
      assert.throws(
        () => normalizeScope(input),
        (error: unknown) => error instanceof TaskError && error.message.includes("'scope'"),
      );
    });
  }
});
