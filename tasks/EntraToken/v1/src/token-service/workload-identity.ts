// The variables later steps read to use the service without knowing it exists: the workload-identity contract
// (every Azure SDK's WorkloadIdentityCredential, kubelogin, azd), both App Service managed-identity versions, and,
// on request, Terraform's azurerm/azuread provider variables. Values only; export.ts sets them.
import { cloudByAuthority } from '../connection/clouds';
import { MI_PATH } from './server';

export interface ServiceIdentity {
  readonly clientId: string;
  readonly tenantId: string;
  readonly authorityHost: string;
  readonly tokenFile: string;
  /** Set when the task should also export Terraform's variables; the subscription only for an ARM connection. */
  readonly terraform?: { readonly subscriptionId: string | undefined };
}

export interface ExportedVariable {
  readonly name: string;
  readonly value: string;
}

export function managedIdentityVariables(base: string, secret: string): ExportedVariable[] {
  return [
    { name: 'IDENTITY_ENDPOINT', value: `${base}${MI_PATH}` },
    { name: 'IDENTITY_HEADER', value: secret },
    // The older App Service variables: the same route, api-version 2017-09-01 and a `secret` header.
    { name: 'MSI_ENDPOINT', value: `${base}${MI_PATH}` },
    { name: 'MSI_SECRET', value: secret },
  ];
}

export function workloadIdentityVariables(identity: ServiceIdentity): ExportedVariable[] {
  return [
    { name: 'AZURE_CLIENT_ID', value: identity.clientId },
    { name: 'AZURE_TENANT_ID', value: identity.tenantId },
    { name: 'AZURE_AUTHORITY_HOST', value: identity.authorityHost },
    { name: 'AZURE_FEDERATED_TOKEN_FILE', value: identity.tokenFile },
  ];
}

/** azurerm and azuread read ARM_OIDC_TOKEN_FILE_PATH as they start, so each terraform command gets a current assertion. */
export function terraformVariables(identity: ServiceIdentity): ExportedVariable[] {
  if (identity.terraform === undefined) return [];
  const environment = cloudByAuthority(identity.authorityHost)?.terraformEnvironment;
  const { subscriptionId } = identity.terraform;
  return [
    { name: 'ARM_USE_OIDC', value: 'true' },
    { name: 'ARM_OIDC_TOKEN_FILE_PATH', value: identity.tokenFile },
    { name: 'ARM_CLIENT_ID', value: identity.clientId },
    { name: 'ARM_TENANT_ID', value: identity.tenantId },
    ...(environment === undefined ? [] : [{ name: 'ARM_ENVIRONMENT', value: environment }]),
    ...(subscriptionId === undefined ? [] : [{ name: 'ARM_SUBSCRIPTION_ID', value: subscriptionId }]),
  ];
}
