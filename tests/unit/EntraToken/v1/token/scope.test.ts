import assert from 'node:assert/strict';
import { normalizeScope, sameScope, scopeKey } from '../../../../../tasks/EntraToken/v1/src/token/scope';
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
  for (const input of [
    'http://graph.microsoft.com',
    'graph',
    'https://a.example https://b.example',
    'https://a.example,https://b.example',
    'https:///.default',
  ]) {
    it(`refuses '${input}'`, () => {
      assert.throws(
        () => normalizeScope(input),
        (error: unknown) => error instanceof TaskError && error.message.includes("'scope'"),
      );
    });
  }
});

describe('sameScope: scopes compared as Entra compares them', () => {
  const same: [string, string][] = [
    ['https://management.azure.com/', 'https://management.azure.com'],
    ['https://management.azure.com//.default', 'https://management.azure.com/.default'],
    ['https://Management.Azure.com', 'https://management.azure.com/.default'],
    ['HTTPS://management.azure.com', 'https://management.azure.com'],
    ['499B84AC-1321-427F-AA17-267CA6975798', '499b84ac-1321-427f-aa17-267ca6975798/.default'],
    ['api://Contoso-API/', 'api://contoso-api'],
  ];
  for (const [a, b] of same) {
    it(`takes '${a}' and '${b}' for one scope`, () => {
      assert.equal(sameScope(a, b), true);
    });
  }

  const different: [string, string][] = [
    ['https://management.azure.com', 'https://management.core.windows.net'],
    ['https://graph.microsoft.com', 'https://graph.microsoft.com/beta'],
    ['https://contoso.example/Path', 'https://contoso.example/path'],
    ['not a scope', 'not a scope'],
  ];
  for (const [a, b] of different) {
    it(`keeps '${a}' and '${b}' apart`, () => {
      assert.equal(sameScope(a, b), false);
    });
  }

  it('has no key for what is not a scope', () => {
    assert.equal(scopeKey('http://insecure.example'), undefined);
    assert.equal(scopeKey('a,b'), undefined);
  });
});
