import assert from 'node:assert/strict';
import { resolveAuthority, type EndpointDataSource } from '../../../../../tasks/EntraToken/v1/src/connection/authority';
import { TaskError } from '../../../../../tasks/EntraToken/v1/src/common/messages';

function data(values: Readonly<Record<string, string>>): EndpointDataSource {
  return { getEndpointData: (id, key) => (id === 'c-1' ? values[key] : undefined) };
}

describe('resolveAuthority: where the authority comes from, in order', () => {
  it('takes the connection’s activeDirectoryAuthority over its environment and the variable', () => {
    const authority = resolveAuthority(
      data({ activeDirectoryAuthority: ' https://login.contoso.example/tenant/ ', environment: 'AzureUSGovernment' }),
      'c-1',
      'https://other.example',
    );

    assert.deepEqual(authority, { host: 'https://login.contoso.example', disableInstanceDiscovery: true });
  });

  it('takes the cloud of the connection’s environment over AZURE_AUTHORITY_HOST', () => {
    const authority = resolveAuthority(data({ environment: 'AzureChinaCloud' }), 'c-1', 'https://other.example');

    assert.deepEqual(authority, { host: 'https://login.chinacloudapi.cn', disableInstanceDiscovery: false });
  });

  it('takes AZURE_AUTHORITY_HOST, then the public cloud', () => {
    assert.equal(resolveAuthority(data({}), 'c-1', ' https://127.0.0.1:8443 ').host, 'https://127.0.0.1:8443');
    assert.deepEqual(resolveAuthority(data({}), 'c-1', undefined), {
      host: 'https://login.microsoftonline.com',
      disableInstanceDiscovery: false,
    });
  });
});

describe('resolveAuthority: refusals name the setting', () => {
  for (const [name, values, variable, setting] of [
    [
      'an http authority in the connection',
      { activeDirectoryAuthority: 'http://login.contoso.example' },
      undefined,
      "Service connection data 'activeDirectoryAuthority'",
    ],
    ['a variable that is not a URL', {}, 'login.contoso.example', 'AZURE_AUTHORITY_HOST'],
  ] as const) {
    it(name, () => {
      assert.throws(
        () => resolveAuthority(data(values), 'c-1', variable),
        (error: unknown) => error instanceof TaskError && error.message.includes(setting),
      );
    });
  }
});
