import assert from 'node:assert/strict';
import {
  CREDENTIALS_NOT_FOUND,
  dockerCredentialAnswer,
  registryHost,
  type AskRegistry,
} from '../../../../../tasks/EntraToken/v1/src/token-service/docker-credential';

function answering(status: number, body: unknown): { ask: AskRegistry; asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    ask: (host) => {
      asked.push(host);
      return Promise.resolve({ status, body });
    },
  };
}

describe('registryHost: the login server in what a client sends on stdin', () => {
  it('drops the scheme, the path, surrounding space and case', () => {
    assert.deepEqual(
      ['contoso.azurecr.io', 'https://Contoso.azurecr.io/v2/', ' contoso.azurecr.io\n', '127.0.0.1:8443', 'https://127.0.0.1:8443'].map(
        registryHost,
      ),
      ['contoso.azurecr.io', 'contoso.azurecr.io', 'contoso.azurecr.io', '127.0.0.1:8443', '127.0.0.1:8443'],
    );
  });
});

describe('dockerCredentialAnswer get: what the token service gave', () => {
  it('answers a refresh token with the "<token>" user, which clients use as an identity token', async () => {
    const { ask, asked } = answering(200, { refresh_token: 'refresh-2', expires_on: null });

    const output = await dockerCredentialAnswer('get', 'https://contoso.azurecr.io\n', ask);

    assert.deepEqual(asked, ['contoso.azurecr.io']);
    assert.equal(output.code, 0);
    assert.deepEqual(JSON.parse(output.stdout), { ServerURL: 'https://contoso.azurecr.io', Username: '<token>', Secret: 'refresh-2' });
  });

  it('says "credentials not found" for a registry the task did not configure, so the client carries on without', async () => {
    const { ask } = answering(403, { message: "This token service does not serve registry 'docker.io'." });

    const output = await dockerCredentialAnswer('get', 'docker.io', ask);

    assert.deepEqual(output, { code: 1, stdout: `${CREDENTIALS_NOT_FOUND}\n` });
  });

  it("fails with the service's message when the exchange failed, and when the service is gone", async () => {
    const failed = await dockerCredentialAnswer(
      'get',
      'contoso.azurecr.io',
      answering(502, { message: 'Give the service principal AcrPull.' }).ask,
    );
    const gone = await dockerCredentialAnswer('get', 'contoso.azurecr.io', () => Promise.resolve(undefined));

    assert.deepEqual(failed, {
      code: 1,
      stdout: "EntraToken's token service gave no token for registry 'contoso.azurecr.io': Give the service principal AcrPull.\n",
    });
    assert.deepEqual(gone, {
      code: 1,
      stdout: "EntraToken's token service gave no token for registry 'contoso.azurecr.io': it could not be reached\n",
    });
  });

  it('names the variables it needs when run outside a job with the token service', async () => {
    const output = await dockerCredentialAnswer('get', 'contoso.azurecr.io', undefined);

    assert.equal(output.code, 1);
    assert.match(output.stdout, /needs ENTRATOKEN_SERVICE_URL and ENTRATOKEN_SERVICE_SECRET: run it in a later step .* tokenService: true/);
  });
});

describe('dockerCredentialAnswer: the other helper actions', () => {
  it('lists nothing, and refuses store and erase with what to do instead', async () => {
    const { ask, asked } = answering(200, {});

    const list = await dockerCredentialAnswer('list', '', ask);
    const store = await dockerCredentialAnswer('store', '{"ServerURL":"x","Username":"u","Secret":"s"}', ask);
    const erase = await dockerCredentialAnswer('erase', 'x', ask);

    assert.deepEqual(list, { code: 0, stdout: '{}\n' });
    assert.equal(store.code, 1);
    assert.match(store.stdout, /cannot 'store'\. To use docker login for a registry, remove its credHelpers entry/);
    assert.equal(erase.code, 1);
    assert.deepEqual(asked, []);
  });
});
