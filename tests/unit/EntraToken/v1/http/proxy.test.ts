import assert from 'node:assert/strict';
import { proxyFor } from '../../../../../tasks/EntraToken/v1/src/http/proxy';

const AGENT_PROXY = { url: 'http://proxy.corp:3128', username: 'u', password: 'p', bypass: ['login\\.contoso\\.example', '(['] };

describe('proxyFor: the agent proxy', () => {
  it('is used with its credentials for a host the bypass list does not match', () => {
    assert.deepEqual(proxyFor('https://login.microsoftonline.com/t', AGENT_PROXY), {
      host: 'http://proxy.corp',
      port: 3128,
      username: 'u',
      password: 'p',
    });
  });

  it('is skipped for a URL that a bypass pattern matches, ignoring invalid patterns', () => {
    assert.equal(proxyFor('https://LOGIN.contoso.example/t', AGENT_PROXY), undefined);
  });

  it('defaults the port from the scheme', () => {
    assert.equal(proxyFor('https://x.example', { url: 'https://proxy.corp', bypass: [] })?.port, 443);
  });
});

describe('proxyFor: no agent proxy', () => {
  it('leaves the choice to HTTPS_PROXY / NO_PROXY', () => {
    assert.equal(proxyFor('https://x.example', undefined), undefined);
  });
});
