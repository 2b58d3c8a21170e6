import assert from 'node:assert/strict';
import {
  CLOUDS,
  PUBLIC_AUTHORITY,
  cloudByEnvironment,
  isKnownAuthorityHost,
} from '../../../../../tasks/EntraToken/v1/src/connection/clouds';

describe('clouds: the ARM environment name a connection carries', () => {
  it('finds a cloud whatever the case and surrounding space of its name', () => {
    assert.equal(cloudByEnvironment(' AzureUSGovernment ')?.authority, 'https://login.microsoftonline.us');
    assert.equal(cloudByEnvironment('AZURECHINACLOUD')?.authority, 'https://login.chinacloudapi.cn');
    assert.equal(cloudByEnvironment('AzureCloud')?.authority, PUBLIC_AUTHORITY);
  });

  it('finds none for an unknown or missing name', () => {
    assert.equal(cloudByEnvironment('AzureStack'), undefined);
    assert.equal(cloudByEnvironment(undefined), undefined);
  });
});

describe('clouds: the authority hosts msal-node validates itself', () => {
  it('knows every cloud’s own authority host and aliases, in any case', () => {
    for (const cloud of CLOUDS) assert.ok(isKnownAuthorityHost(new URL(cloud.authority).hostname), cloud.environment);
    assert.ok(isKnownAuthorityHost('LOGIN.WINDOWS.NET'));
  });

  it('does not know a private or look-alike host', () => {
    assert.equal(isKnownAuthorityHost('login.contoso.example'), false);
    assert.equal(isKnownAuthorityHost('login.microsoftonline.com.evil.example'), false);
  });

  it('lists each environment once, lower-cased, with an https authority', () => {
    const names = CLOUDS.map((cloud) => cloud.environment);

    assert.equal(new Set(names).size, names.length);
    for (const cloud of CLOUDS) {
      assert.equal(cloud.environment, cloud.environment.toLowerCase());
      assert.equal(new URL(cloud.authority).protocol, 'https:');
    }
  });
});
