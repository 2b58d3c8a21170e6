import assert from 'node:assert/strict';
import { derivedForms, SecretRegistry } from '../../../../../tasks/EntraToken/v1/src/common/secrets';
import { TaskError } from '../../../../../tasks/EntraToken/v1/src/common/messages';
import type { HttpRequest, HttpResponse } from '../../../../../tasks/EntraToken/v1/src/http/sender';
import { exchangeForRefreshToken } from '../../../../../tasks/EntraToken/v1/src/tools/acr-exchange';

function sender(answer: HttpResponse | Error): { sent: HttpRequest[]; send: (request: HttpRequest) => Promise<HttpResponse> } {
  const sent: HttpRequest[] = [];
  return {
    sent,
    send: (request) => {
      sent.push(request);
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
  };
}

describe('exchangeForRefreshToken: the ACR exchange request', () => {
  it('posts the ARM token with the registry as service and the tenant, and registers the refresh token first', async () => {
    const registered: string[] = [];
    const { sent, send } = sender({ status: 200, bodyText: '{"refresh_token":"refresh-1"}' });

    const token = await exchangeForRefreshToken('contoso.azurecr.io', 'arm-token', {
      send,
      secrets: new SecretRegistry({ setSecret: (value) => registered.push(value) }),
      tenantId: 'tenant-1',
    });

    assert.equal(token, 'refresh-1');
    assert.deepEqual(registered, derivedForms('refresh-1'));
    const [request] = sent;
    assert.equal(request?.url, 'https://contoso.azurecr.io/oauth2/exchange');
    assert.deepEqual(Object.fromEntries(new URLSearchParams(request.body ?? '')), {
      grant_type: 'access_token',
      service: 'contoso.azurecr.io',
      access_token: 'arm-token',
      tenant: 'tenant-1',
    });
  });
});

describe('exchangeForRefreshToken: refusals', () => {
  it('names the registry and the role to give, for a refusal and for a network failure', async () => {
    const secrets = new SecretRegistry({ setSecret: () => undefined });
    const refused = exchangeForRefreshToken('contoso.azurecr.io', 'arm', {
      send: sender({ status: 401, bodyText: '{}' }).send,
      secrets,
      tenantId: '',
    });
    const unreachable = exchangeForRefreshToken('contoso.azurecr.io', 'arm', {
      send: sender(new Error('getaddrinfo ENOTFOUND')).send,
      secrets,
      tenantId: '',
    });

    await assert.rejects(
      refused,
      (error: unknown) => error instanceof TaskError && /answered HTTP 401\). Give the service principal a role/.test(error.message),
    );
    await assert.rejects(
      unreachable,
      (error: unknown) => error instanceof TaskError && /answered getaddrinfo ENOTFOUND\)/.test(error.message),
    );
  });
});
