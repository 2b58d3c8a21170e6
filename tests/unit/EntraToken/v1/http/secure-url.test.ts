import assert from 'node:assert/strict';
import { TaskError } from '../../../../../tasks/EntraToken/v1/src/common/messages';
import { requireSecureUrl, showableUrl } from '../../../../../tasks/EntraToken/v1/src/http/secure-url';

const complain = (shown: string): string => `setting X is '${shown}'`;

describe('requireSecureUrl: URLs that may receive a secret', () => {
  for (const value of ['https://dev.azure.com/contoso/', 'https://login.microsoftonline.us', 'https://127.0.0.1:8443/path?q=1']) {
    it(`accepts ${value}`, () => {
      const url = requireSecureUrl(value, complain);

      assert.equal(url.protocol, 'https:');
      assert.notEqual(url.hostname, '');
    });
  }
});

describe('requireSecureUrl: URLs that may not', () => {
  const refused: [string, string][] = [
    ['plain HTTP', 'http://dev.azure.com/contoso/'],
    ['a file URL', 'file:///etc/passwd'],
    ['no scheme', 'dev.azure.com/contoso'],
    ['not a URL', 'https://'],
    ['user and password', 'https://user:pass@dev.azure.com/contoso/'],
    ['a user name only', 'https://user@dev.azure.com/'],
    ['an empty password', 'https://:pw@dev.azure.com/'],
    ['whitespace inside', 'https://dev.azure.com/con toso'],
    ['a line break', 'https://dev.azure.com/\nhttp://evil'],
    ['a control character', 'https://dev.azure.com/\u0007'],
    ['an upper-case HTTP scheme', 'HTTP://dev.azure.com/'],
  ];
  for (const [name, value] of refused) {
    it(`refuses ${name}, naming the setting`, () => {
      assert.throws(
        () => requireSecureUrl(value, complain),
        (error: unknown) => error instanceof TaskError && error.message.startsWith('setting X is '),
      );
    });
  }

  it('never repeats the user info of a refused URL', () => {
    assert.throws(
      () => requireSecureUrl('https://robot:hunter2@dev.azure.com/', complain),
      (error: unknown) => {
        assert.ok(error instanceof TaskError);
        assert.equal(error.message, "setting X is 'https://***@dev.azure.com/'");
        return true;
      },
    );
  });
});

describe('showableUrl', () => {
  const cases: [string, string][] = [
    ['https://u:p@host/x', 'https://***@host/x'],
    ['http://u:p@ss@host/x?y=@', 'http://***@host/x?y=@'],
    ['https://host/a@b', 'https://host/a@b'],
    ['not a url', 'not a url'],
  ];
  for (const [value, shown] of cases) {
    it(`shows ${value} as ${shown}`, () => {
      assert.equal(showableUrl(value), shown);
    });
  }
});
