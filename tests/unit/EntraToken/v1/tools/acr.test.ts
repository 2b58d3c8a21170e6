import assert from 'node:assert/strict';
import { ACR_USER, dockerConfig } from '../../../../../tasks/EntraToken/v1/src/tools/acr';

const ENTRY = { registry: 'contoso.azurecr.io', refreshToken: 'refresh-1' };
const AUTH = { auth: Buffer.from(`${ACR_USER}:`).toString('base64'), identitytoken: 'refresh-1' };

describe('dockerConfig without the token service: a static refresh token', () => {
  it('adds the registry to auths and removes a helper an earlier config named for it, keeping the rest', () => {
    const existing = JSON.stringify({
      auths: { 'other.example': { auth: 'dTpw' } },
      credHelpers: { 'contoso.azurecr.io': 'acr-env', 'gcr.io': 'gcloud' },
      credsStore: 'desktop',
    });

    const config: unknown = JSON.parse(dockerConfig([ENTRY], existing));

    assert.deepEqual(config, {
      auths: { 'other.example': { auth: 'dTpw' }, 'contoso.azurecr.io': AUTH },
      credHelpers: { 'gcr.io': 'gcloud' },
      credsStore: 'desktop',
    });
  });
});

describe('dockerConfig with the token service: the credential helper for each registry', () => {
  it('names the helper in credHelpers and keeps the static token in auths for clients that run no helpers', () => {
    const existing = JSON.stringify({ credHelpers: { 'contoso.azurecr.io': 'acr-env', 'gcr.io': 'gcloud' } });

    const config: unknown = JSON.parse(dockerConfig([ENTRY], existing, 'entratoken'));

    assert.deepEqual(config, {
      auths: { 'contoso.azurecr.io': AUTH },
      credHelpers: { 'contoso.azurecr.io': 'entratoken', 'gcr.io': 'gcloud' },
    });
  });

  it('starts from nothing when the earlier config is not a JSON object', () => {
    const config: unknown = JSON.parse(dockerConfig([ENTRY], '["not", "an", "object"]', 'entratoken'));

    assert.deepEqual(config, { auths: { 'contoso.azurecr.io': AUTH }, credHelpers: { 'contoso.azurecr.io': 'entratoken' } });
  });
});
