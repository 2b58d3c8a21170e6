import assert from 'node:assert/strict';
import { readConnection } from '../../../../tasks/EntraToken/v1/src/connection';
import type { TaskInputs } from '../../../../tasks/EntraToken/v1/src/inputs';
import { FakePipeline, type FakeEndpoint } from './fake-pipeline';

const ARM_INPUTS: TaskInputs = {
  connectionType: 'azureRM', connectionInput: 'azureSubscription', connectionId: 'arm-1', scope: 'x/.default', variableName: 'V', verifyAccess: false, organizationUrl: undefined,
};
const WIF = { scheme: 'WorkloadIdentityFederation', parameters: { tenantid: 't-1', serviceprincipalid: 'c-1' } };

function connect(endpoint: FakeEndpoint | undefined, authorityHostVariable?: string) {
  const pipeline = new FakePipeline({}, endpoint ? { 'arm-1': endpoint } : {});
  return readConnection(pipeline, ARM_INPUTS, authorityHostVariable);
}

describe('readConnection: the identity', () => {
  it('reads tenant and client id whatever the case of the parameter names', () => {
    const connection = connect({ authorization: { scheme: 'workloadidentityfederation', parameters: { TenantId: 't-2', ServicePrincipalId: 'c-2' } } });

    assert.equal(connection.tenantId, 't-2');
    assert.equal(connection.clientId, 'c-2');
  });
});

describe('readConnection: the authority', () => {
  const cases: { name: string; data?: Record<string, string>; variable?: string; host: string; discovery: boolean }[] = [
    { name: 'public cloud by default', host: 'https://login.microsoftonline.com', discovery: false },
    { name: 'environment AzureUSGovernment', data: { environment: 'AzureUSGovernment' }, host: 'https://login.microsoftonline.us', discovery: false },
    { name: 'environment AzureChinaCloud', data: { environment: 'AzureChinaCloud' }, host: 'https://login.chinacloudapi.cn', discovery: false },
    { name: 'activeDirectoryAuthority data wins over environment', data: { activeDirectoryAuthority: 'https://login.contoso.example/', environment: 'AzureCloud' }, host: 'https://login.contoso.example', discovery: true },
    { name: 'environmentAuthorityUrl data', data: { environmentAuthorityUrl: 'https://adfs.stack.example/adfs/' }, host: 'https://adfs.stack.example', discovery: true },
    { name: 'AZURE_AUTHORITY_HOST when the connection names no cloud', variable: 'https://127.0.0.1:8443', host: 'https://127.0.0.1:8443', discovery: true },
  ];
  for (const testCase of cases) {
    it(testCase.name, () => {
      const connection = connect({ authorization: WIF, data: testCase.data }, testCase.variable);

      assert.equal(connection.authorityHost, testCase.host);
      assert.equal(connection.disableInstanceDiscovery, testCase.discovery);
    });
  }
});

describe('readConnection: refusals say what to change', () => {
  const cases: { name: string; endpoint: FakeEndpoint | undefined; variable?: string; expected: RegExp }[] = [
    { name: 'unknown connection', endpoint: undefined, expected: /Service connection 'arm-1' \(input 'azureSubscription'\) was not handed to this task.*authorized/ },
    { name: 'malformed authorization', endpoint: { authorization: 'malformed' }, expected: /unreadable authorization data.*save it again/ },
    { name: 'missing client id', endpoint: { authorization: { scheme: 'WorkloadIdentityFederation', parameters: { tenantid: 't' } } }, expected: /no 'serviceprincipalid'/ },
    { name: 'publish profile', endpoint: { authorization: { scheme: 'PublishProfile', parameters: {} } }, expected: /scheme 'PublishProfile'.*convert it to workload identity federation/ },
    { name: 'http authority', endpoint: { authorization: WIF, data: { activeDirectoryAuthority: 'http://login.example' } }, expected: /Service connection data 'activeDirectoryAuthority' is 'http:\/\/login\.example'.*https:\/\// },
    { name: 'unparseable AZURE_AUTHORITY_HOST', endpoint: { authorization: WIF }, variable: 'login.example', expected: /AZURE_AUTHORITY_HOST is 'login\.example'/ },
  ];
  for (const testCase of cases) {
    it(testCase.name, () => {
      assert.throws(() => connect(testCase.endpoint, testCase.variable), testCase.expected);
    });
  }
});
