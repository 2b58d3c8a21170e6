import assert from 'node:assert/strict';
import {
  managedIdentityVariables,
  terraformVariables,
  workloadIdentityVariables,
  type ServiceIdentity,
} from '../../../../../tasks/EntraToken/v1/src/token-service/workload-identity';

const IDENTITY: ServiceIdentity = {
  clientId: 'c-1',
  tenantId: 't-1',
  authorityHost: 'https://login.microsoftonline.us',
  tokenFile: '/agent/_temp/entratoken-federated-0123456789abcdef.jwt',
};

describe('workloadIdentityVariables: the contract WorkloadIdentityCredential reads', () => {
  it('names the identity, its cloud and the token file', () => {
    const variables = workloadIdentityVariables(IDENTITY);

    assert.deepEqual(variables, [
      { name: 'AZURE_CLIENT_ID', value: 'c-1' },
      { name: 'AZURE_TENANT_ID', value: 't-1' },
      { name: 'AZURE_AUTHORITY_HOST', value: 'https://login.microsoftonline.us' },
      { name: 'AZURE_FEDERATED_TOKEN_FILE', value: IDENTITY.tokenFile },
    ]);
  });
});

describe('managedIdentityVariables: both App Service versions on one route', () => {
  it('points IDENTITY_ENDPOINT and MSI_ENDPOINT at the route, with the same secret', () => {
    const variables = managedIdentityVariables('http://127.0.0.1:5000', 's3cret');

    assert.deepEqual(
      variables.map((v) => `${v.name}=${v.value}`),
      [
        'IDENTITY_ENDPOINT=http://127.0.0.1:5000/msi/token',
        'IDENTITY_HEADER=s3cret',
        'MSI_ENDPOINT=http://127.0.0.1:5000/msi/token',
        'MSI_SECRET=s3cret',
      ],
    );
  });
});

describe('terraformVariables: opt-in azurerm/azuread variables', () => {
  it('exports nothing unless asked', () => {
    assert.deepEqual(terraformVariables(IDENTITY), []);
  });

  it('names the sovereign cloud as Terraform spells it, and the subscription when the connection has one', () => {
    const variables = terraformVariables({ ...IDENTITY, terraform: { subscriptionId: '11111111-2222-3333-4444-555555555555' } });

    assert.deepEqual(
      variables.map((v) => `${v.name}=${v.value}`),
      [
        'ARM_USE_OIDC=true',
        `ARM_OIDC_TOKEN_FILE_PATH=${IDENTITY.tokenFile}`,
        'ARM_CLIENT_ID=c-1',
        'ARM_TENANT_ID=t-1',
        'ARM_ENVIRONMENT=usgovernment',
        'ARM_SUBSCRIPTION_ID=11111111-2222-3333-4444-555555555555',
      ],
    );
  });

  it('leaves ARM_ENVIRONMENT out for an authority outside the known clouds (Azure Stack, a test cloud)', () => {
    const variables = terraformVariables({
      ...IDENTITY,
      authorityHost: 'https://127.0.0.1:8443',
      terraform: { subscriptionId: undefined },
    });

    assert.deepEqual(
      variables.map((v) => v.name),
      ['ARM_USE_OIDC', 'ARM_OIDC_TOKEN_FILE_PATH', 'ARM_CLIENT_ID', 'ARM_TENANT_ID'],
    );
  });
});
