import assert from 'node:assert/strict';
import type { AccessToken, ExchangeRequest, TokenExchanger } from '../../../../../tasks/EntraToken/v1/src/token/exchange';
import { retryWhenIssuerUnreachable } from '../../../../../tasks/EntraToken/v1/src/token/issuer-retry';

const REQUEST: ExchangeRequest = {
  tenantId: 't',
  clientId: 'c',
  authorityHost: 'https://login.example:8443',
  disableInstanceDiscovery: true,
  scope: 's/.default',
  proof: { kind: 'federated', assertion: 'a' },
};
const TOKEN: AccessToken = { token: 'tok', expiresOn: new Date(0) };
const LIMITS = { maxRetries: 3, retryDelayMs: 100, maxRetryDelayMs: 250 };

/** An exchanger that fails with the given messages in turn, then succeeds. */
function failingThen(messages: readonly string[]): { exchange: TokenExchanger; calls: () => number } {
  let calls = 0;
  const exchange: TokenExchanger = () => {
    const message = messages[calls];
    calls += 1;
    return message === undefined ? Promise.resolve(TOKEN) : Promise.reject(new Error(message));
  };
  return { exchange, calls: () => calls };
}

function harness(messages: readonly string[], deadline = Date.now() + 60_000) {
  const fake = failingThen(messages);
  const warnings: string[] = [];
  const sleeps: number[] = [];
  const exchange = retryWhenIssuerUnreachable(fake.exchange, {
    limits: LIMITS,
    deadline,
    warn: (message) => {
      warnings.push(message);
    },
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
  });
  return { exchange, calls: fake.calls, warnings, sleeps };
}

describe('retryWhenIssuerUnreachable: AADSTS50166 and AADSTS90061', () => {
  it('retries with growing, capped delays and a warning per retry, then returns the token', async () => {
    const { exchange, calls, warnings, sleeps } = harness([
      'AADSTS50166: Request to External OIDC endpoint failed.',
      'AADSTS90061: x',
      'AADSTS50166: y',
    ]);

    const token = await exchange(REQUEST);

    assert.equal(token, TOKEN);
    assert.equal(calls(), 4);
    assert.deepEqual(sleeps, [100, 200, 250]);
    assert.equal(warnings.length, 3);
    assert.match(
      warnings[0] ?? '',
      /^login\.example:8443: AADSTS50166, the OIDC issuer was unreachable for Entra ID \(attempt 1 of 4\); retrying\.$/,
    );
  });

  it('gives up after the configured retries with the last error', async () => {
    const { exchange, calls } = harness(Array.from({ length: 9 }, () => 'AADSTS90061: still down'));

    await assert.rejects(exchange(REQUEST), /AADSTS90061: still down/);
    assert.equal(calls(), 4);
  });

  it('starts no attempt the deadline would cut short', async () => {
    const { exchange, calls } = harness(['AADSTS50166: x'], Date.now() + 50);

    await assert.rejects(exchange(REQUEST), /AADSTS50166/);
    assert.equal(calls(), 1);
  });
});

describe('retryWhenIssuerUnreachable: every other failure', () => {
  it('is not retried', async () => {
    const { exchange, calls, warnings } = harness(['AADSTS700213: No matching federated identity record found.']);

    await assert.rejects(exchange(REQUEST), /AADSTS700213/);
    assert.equal(calls(), 1);
    assert.deepEqual(warnings, []);
  });
});
