import assert from 'node:assert/strict';
import { proofSecrets, readConnection } from '../../../../../tasks/EntraToken/v1/src/connection/connection';
import type { TaskInputs } from '../../../../../tasks/EntraToken/v1/src/inputs';
import { FakePipeline, type FakeEndpoint } from '../fake-pipeline';

const ARM_INPUTS: TaskInputs = {
  connectionType: 'azureRM',
  connectionInput: 'azureSubscription',
  connectionId: 'arm-1',
  scope: 'x/.default',
  variableName: 'V',
  additionalTokens: [],
  verifyAccess: false,
  organizationUrl: undefined,
  tenantId: undefined,
  tools: {
    nugetFeeds: [],
    npmRegistries: [],
    pipIndexes: [],
    pipReplaceIndex: false,
    gitOrganizations: [],
    environmentVariables: [],
    nugetSources: [],
    mavenFeeds: [],
    pypiUploads: [],
    containerRegistries: [],
  },
  tokenService: { enabled: false, scopes: ['x/.default'], terraformVariables: false },
};
const WIF = { scheme: 'WorkloadIdentityFederation', parameters: { tenantid: 't-1', serviceprincipalid: 'c-1' } };

function connect(endpoint: FakeEndpoint | undefined, authorityHostVariable?: string) {
  const pipeline = new FakePipeline({}, endpoint ? { 'arm-1': endpoint } : {});
  return readConnection(pipeline, ARM_INPUTS, authorityHostVariable);
}

describe('readConnection: the identity', () => {
  it('reads tenant and client id whatever the case of the parameter names', () => {
    const connection = connect({
      authorization: { scheme: 'workloadidentityfederation', parameters: { TenantId: 't-2', ServicePrincipalId: 'c-2' } },
    });

    assert.equal(connection.tenantId, 't-2');
    assert.equal(connection.clientId, 'c-2');
  });
});

describe('readConnection: the authority', () => {
  const cases: { name: string; data?: Record<string, string>; variable?: string; host: string; discovery: boolean }[] = [
    { name: 'public cloud by default', host: 'https://login.microsoftonline.com', discovery: false },
    {
      name: 'environment AzureUSGovernment',
      data: { environment: 'AzureUSGovernment' },
      host: 'https://login.microsoftonline.us',
      discovery: false,
    },
    {
      name: 'environment AzureChinaCloud',
      data: { environment: 'AzureChinaCloud' },
      host: 'https://login.chinacloudapi.cn',
      discovery: false,
    },
    {
      name: 'activeDirectoryAuthority data wins over environment',
      data: { activeDirectoryAuthority: 'https://login.contoso.example/', environment: 'AzureCloud' },
      host: 'https://login.contoso.example',
      discovery: true,
    },
    {
      name: 'environmentAuthorityUrl data',
      data: { environmentAuthorityUrl: 'https://adfs.stack.example/adfs/' },
      host: 'https://adfs.stack.example',
      discovery: true,
    },
    {
      name: 'AZURE_AUTHORITY_HOST when the connection names no cloud',
      variable: 'https://127.0.0.1:8443',
      host: 'https://127.0.0.1:8443',
      discovery: true,
    },
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
    {
      name: 'unknown connection',
      endpoint: undefined,
      expected: /Service connection 'arm-1' \(input 'azureSubscription'\) was not handed to this task.*authorized/,
    },
    { name: 'malformed authorization', endpoint: { authorization: 'malformed' }, expected: /unreadable authorization data.*save it again/ },
    {
      name: 'missing client id',
      endpoint: { authorization: { scheme: 'WorkloadIdentityFederation', parameters: { tenantid: 't' } } },
      expected: /no 'serviceprincipalid'/,
    },
    {
      name: 'publish profile',
      endpoint: { authorization: { scheme: 'PublishProfile', parameters: {} } },
      expected: /scheme 'PublishProfile'.*convert it to workload identity federation/,
    },
    {
      name: 'http authority',
      endpoint: { authorization: WIF, data: { activeDirectoryAuthority: 'http://login.example' } },
      expected: /Service connection data 'activeDirectoryAuthority' is 'http:\/\/login\.example'.*https:\/\//,
    },
    {
      name: 'unparseable AZURE_AUTHORITY_HOST',
      endpoint: { authorization: WIF },
      variable: 'login.example',
      expected: /AZURE_AUTHORITY_HOST is 'login\.example'/,
    },
  ];
  for (const testCase of cases) {
    it(testCase.name, () => {
      assert.throws(() => connect(testCase.endpoint, testCase.variable), testCase.expected);
    });
  }
});

describe('readConnection: ARM schemes', () => {
  it('a service principal with a secret presents the secret', () => {
    const connection = connect({
      authorization: {
        scheme: 'ServicePrincipal',
        parameters: { authenticationType: 'spnKey', tenantid: 't', serviceprincipalid: 'c', serviceprincipalkey: 's3cret' },
      },
    });

    assert.deepEqual(connection.proof, { kind: 'secret', secret: 's3cret' });
  });

  it('a service principal with a certificate presents the PEM, in memory', () => {
    const pem =
      '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n';

    const connection = connect({
      authorization: {
        scheme: 'ServicePrincipal',
        parameters: { authenticationType: 'spnCertificate', tenantid: 't', serviceprincipalid: 'c', servicePrincipalCertificate: pem },
      },
    });

    assert.deepEqual(connection.proof, { kind: 'certificate', pem: pem.trim() });
  });

  it('a managed identity takes its client id from msiclientId and needs no tenant', () => {
    const connection = connect({ authorization: { scheme: 'ManagedServiceIdentity', parameters: {} }, data: { msiclientId: 'mi-client' } });

    assert.equal(connection.proof.kind, 'managedIdentity');
    assert.equal(connection.clientId, 'mi-client');
    assert.equal(connection.tenantId, '');
  });

  it('the tenantId input overrides the connection tenant', () => {
    const pipeline = new FakePipeline({}, { 'arm-1': { authorization: WIF } });

    const connection = readConnection(pipeline, { ...ARM_INPUTS, tenantId: 'other.onmicrosoft.com' }, undefined);

    assert.equal(connection.tenantId, 'other.onmicrosoft.com');
  });
});

describe('readConnection: schemes that cannot work', () => {
  const cases: { name: string; inputs: TaskInputs; authorization: FakeEndpoint['authorization']; expected: RegExp }[] = [
    {
      name: 'an ARM publish profile',
      inputs: ARM_INPUTS,
      authorization: { scheme: 'PublishProfile', parameters: {} },
      expected:
        /scheme 'PublishProfile'.*Supported: WorkloadIdentityFederation, ServicePrincipal \(secret or certificate\), ManagedServiceIdentity/,
    },
    {
      name: 'an Azure DevOps connection with a secret',
      inputs: { ...ARM_INPUTS, connectionType: 'azureDevOps', connectionInput: 'azureDevOpsServiceConnection' },
      authorization: { scheme: 'ServicePrincipal', parameters: {} },
      expected: /scheme 'ServicePrincipal'.*Supported: WorkloadIdentityFederation\./,
    },
    {
      name: 'a certificate without its key',
      inputs: ARM_INPUTS,
      authorization: {
        scheme: 'ServicePrincipal',
        parameters: {
          authenticationType: 'spnCertificate',
          tenantid: 't',
          serviceprincipalid: 'c',
          servicePrincipalCertificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
        },
      },
      expected: /must be one PEM holding both the certificate and its private key/,
    },
    {
      name: 'a secret connection without the secret',
      inputs: ARM_INPUTS,
      authorization: { scheme: 'ServicePrincipal', parameters: { authenticationType: 'spnKey', tenantid: 't', serviceprincipalid: 'c' } },
      expected: /has no 'serviceprincipalkey'/,
    },
  ];
  for (const testCase of cases) {
    it(testCase.name, () => {
      const pipeline = new FakePipeline({}, { 'arm-1': { authorization: testCase.authorization } });

      assert.throws(() => readConnection(pipeline, testCase.inputs, undefined), testCase.expected);
    });
  }
});

describe('proofSecrets: what each proof kind must have scrubbed', () => {
  it('names the client secret and the certificate PEM, and nothing for the others', () => {
    assert.deepEqual(proofSecrets({ kind: 'secret', secret: 's3cret' }), ['s3cret']);
    assert.deepEqual(proofSecrets({ kind: 'certificate', pem: 'PEM' }), ['PEM']);
    assert.deepEqual(proofSecrets({ kind: 'federated' }), []);
    assert.deepEqual(proofSecrets({ kind: 'managedIdentity' }), []);
  });
});
