// Every user-facing string lives here, so wording can be reviewed in one place and every failure names
// the input or setting to change and how to change it.

export const DEFAULT_SCOPE = '499b84ac-1321-427f-aa17-267ca6975798/.default';
export const ASSERTION_AUDIENCE = 'api://AzureADTokenExchange';

/** A failure whose message is written for the user; anything else is unexpected. */
export class TaskError extends Error {
  /** `cause` is the library or system error behind the message, kept for the debug log (scrubbed there). */
  constructor(message: string, options?: { readonly cause?: unknown }) {
    super(message, options);
    this.name = 'TaskError';
  }
}

export const messages = {
  unknownConnectionType: (value: string) =>
    `Input 'connectionType' is '${value}'. Set it to 'azureDevOps' (an Azure DevOps service connection) or 'azureRM' (an Azure Resource Manager service connection).`,
  connectionInputMissing: (input: string, connectionType: string) =>
    `Input '${input}' is required when connectionType is '${connectionType}'. Set it to the name or id of a service connection that uses workload identity federation.`,
  invalidScope: (value: string) =>
    `Input 'scope' is '${value}', which is not one scope. Give a single resource or '.default' scope, for example '${DEFAULT_SCOPE}' (Azure DevOps) or 'https://graph.microsoft.com/.default'.`,
  forbiddenCharacter: (input: string, line: number | undefined, value: string, character: string, example: string) =>
    `Input '${input}'${line === undefined ? '' : ` line ${line}`} is '${value}', which contains ${character}. URLs and scopes may not contain '#', '[', ']', spaces or control characters; give a plain value, for example '${example}'.`,
  invalidVariableName: (value: string) =>
    `Input 'variableName' is '${value}'. Use letters, digits, '_' and '.', starting with a letter or '_', for example 'EntraAccessToken'.`,
  reservedVariableName: (value: string, prefix: string) =>
    `Input 'variableName' is '${value}', but names starting with '${prefix}' are reserved by Azure Pipelines. Choose another name, for example 'EntraAccessToken'.`,

  connectionNotFound: (input: string, id: string) =>
    `Service connection '${id}' (input '${input}') was not handed to this task by the agent. Check that the connection exists, that its name is spelled exactly, and that this pipeline is authorized to use it.`,
  connectionMalformed: (id: string) =>
    `The agent handed over unreadable authorization data for service connection '${id}'. Open the connection in Project settings > Service connections, save it again, and re-run the job.`,
  unsupportedScheme: (id: string, scheme: string, supported: readonly string[]) =>
    `Service connection '${id}' uses authentication scheme '${scheme || '(none)'}', which this kind of connection cannot use here. Supported: ${supported.join(', ')}. Edit the connection and convert it to workload identity federation.`,
  certificateIncomplete: (id: string) =>
    `The certificate of service connection '${id}' must be one PEM holding both the certificate and its private key. Edit the connection and paste the PEM with both parts.`,
  invalidTenantId: (value: string) =>
    `Input 'tenantId' is '${value}'. Give a tenant id (a GUID) or a verified domain such as 'contoso.onmicrosoft.com', or leave it empty to use the connection's tenant.`,
  managedIdentityUnavailable: (id: string, detail: string) =>
    `Service connection '${id}' uses a managed identity, but this agent has none that answers (${detail}). Managed identity connections work only on self-hosted agents running in Azure with that identity assigned; use a workload identity federation connection on Microsoft-hosted agents.`,
  connectionParameterMissing: (id: string, parameter: string) =>
    `Service connection '${id}' has no '${parameter}' in its authorization. Edit the connection and make sure the tenant id and the service principal (client) id are filled in.`,
  insecureAuthority: (setting: string, value: string) =>
    `${setting} is '${value}', but the Entra authority must be an https:// URL without a user name or password, for example 'https://login.microsoftonline.com'. Fix that setting, or remove it to use the connection's cloud.`,

  oidcRequestUriMissing: () =>
    `The variable System.OidcRequestUri is not set, so this job cannot request an OIDC token: workload identity federation needs Azure DevOps Services and an agent of version 3.232.1 or later. On Azure DevOps Server, use an Azure Resource Manager service connection with a client secret or a certificate (connectionType: azureRM) instead.`,
  federationNeedsServices: (serverType: string) =>
    `Workload identity federation needs Azure DevOps Services, but this job runs on Azure DevOps Server (System.ServerType is '${serverType}'), which issues no OIDC tokens. On Azure DevOps Server, use an Azure Resource Manager service connection with a client secret or a certificate (connectionType: azureRM), or the managed identity of a self-hosted agent in Azure.`,
  oidcRequestUriInvalid: (value: string) =>
    `The variable System.OidcRequestUri is '${value}', which is not an https:// URL without a user name or password, so the job's access token is not sent there. Do not override System.OidcRequestUri in the pipeline; the agent sets it.`,
  jobTokenMissing: () =>
    `The job's access token (the SystemVssConnection endpoint) is not available to this task. Run the task from an Azure Pipelines agent job; it cannot run in an agentless job or outside a pipeline.`,
  oidcUnauthorized: (status: number) =>
    `Azure DevOps rejected the job's access token when asked for an OIDC token (HTTP ${status}). Check that the job has not been cancelled or timed out, and that 'Limit job authorization scope' settings allow this project; then re-run the job.`,
  oidcRefused: (connectionId: string, status: number, detail: string) =>
    `Azure DevOps refused to issue an OIDC token for service connection '${connectionId}' (HTTP ${status}: ${detail}). Reference the connection directly in this stage's task input and approve any pending check or authorization for it.`,
  oidcUnavailable: (status: number) =>
    `Azure DevOps could not issue an OIDC token (HTTP ${status}), even after retries. This is usually temporary: re-run the job, and check the Azure DevOps status page if it persists.`,
  oidcMalformed: (status: number) =>
    `Azure DevOps answered the OIDC token request with HTTP ${status} but no 'oidcToken'. Re-run the job; if it persists, check that System.OidcRequestUri points at Azure DevOps and not at a proxy page.`,
  connectionDisabled: (connectionId: string, detail: string) =>
    `Service connection '${connectionId}' is disabled ('${detail}'). Azure DevOps disables connections that go unused for a long time; enable it again in Project settings > Service connections > the connection, then re-run the job.`,
  oidcUnreferenced: (connectionId: string, detail: string) =>
    `Azure DevOps refused an OIDC token for service connection '${connectionId}' because the current stage does not reference it ('${detail}'). Reference the connection in this stage, for example as this task's input, not only in an earlier stage.`,
  retryAfterTooLong: (host: string, status: number, seconds: number) =>
    `${host} answered HTTP ${status} and asked to retry after ${seconds} seconds, which is longer than this task may wait. Re-run the job later, or raise ENTRATOKEN_TIMEOUT_MS.`,
  retrying: (host: string, outcome: string, attempt: number, attempts: number) =>
    `${host}: ${outcome} (attempt ${attempt} of ${attempts}); retrying.`,
  requestLog: (method: string, host: string, path: string, outcome: string, ms: number) =>
    `HTTP ${method} https://${host}${path} -> ${outcome} in ${ms} ms`,
  networkFailure: (what: string, host: string, detail: string) =>
    `Could not reach ${host} to ${what}: ${detail}. Check the agent's network, its proxy settings (HTTPS_PROXY / NO_PROXY or the agent proxy) and that the host's TLS certificate is trusted (NODE_EXTRA_CA_CERTS).`,

  noMatchingFederatedCredential: (code: string, clientId: string, tenantId: string, issuer: string, subject: string) =>
    `Microsoft Entra ID found no federated credential on app '${clientId}' in tenant '${tenantId}' that matches this job (${code}). Add a federated credential with issuer '${issuer}', subject '${subject}' and audience '${ASSERTION_AUDIENCE}'; the subject is case-sensitive.`,
  noFederatedCredentials: (code: string, clientId: string, tenantId: string, issuer: string, subject: string) =>
    `App '${clientId}' in tenant '${tenantId}' has no federated credentials (${code}). In Microsoft Entra ID, open the app registration (or managed identity) > Certificates & secrets > Federated credentials, and add one with issuer '${issuer}', subject '${subject}' and audience '${ASSERTION_AUDIENCE}'.`,
  assertionExpired: (code: string) =>
    `Microsoft Entra ID rejected the OIDC token as expired or not yet valid (${code}). The token is requested just before the exchange, so the agent's clock is the likely cause: check that the agent machine keeps time (NTP), then re-run the job.`,
  appNotFound: (code: string, clientId: string, tenantId: string) =>
    `No application with client id '${clientId}' exists in tenant '${tenantId}' (${code}). Check the service principal (client) id and the tenant id in the service connection; the app may have been deleted or may belong to another tenant.`,
  tenantNotFound: (code: string, tenantId: string, authority: string) =>
    `Tenant '${tenantId}' does not exist at ${authority} (${code}). Check the tenant id in the service connection and, for a sovereign cloud, the connection's environment.`,
  appDisabled: (code: string, clientId: string, tenantId: string) =>
    `App '${clientId}' is disabled in tenant '${tenantId}' (${code}). In Microsoft Entra ID, open Enterprise applications > the app > Properties, and set 'Enabled for users to sign in' to Yes.`,
  invalidSecret: (code: string, connectionId: string, settingsUrl: string) =>
    `The client secret of service connection '${connectionId}' is invalid or expired (${code}). Create a new secret and update the connection at ${settingsUrl}, or convert the connection to workload identity federation so it needs no secret.`,
  unknownResource: (code: string, scope: string, tenantId: string) =>
    `Microsoft Entra ID does not know the resource in scope '${scope}' in tenant '${tenantId}' (${code}). Check the 'scope' input, for example '${DEFAULT_SCOPE}' for Azure DevOps or 'https://graph.microsoft.com/.default'; your own API must be registered in that tenant.`,
  multiTenantEntraIssuer: (code: string, clientId: string) =>
    `App '${clientId}' is multi-tenant, and Microsoft Entra ID does not accept the Entra issuer's OIDC tokens for a multi-tenant app (${code}). Keep this connection on the Azure DevOps issuer (multi-tenant apps are outside its retirement), or use a single-tenant app registration or a managed identity.`,
  federationBlocked: (code: string, clientId: string, tenantId: string, issuer: string) =>
    `A policy in tenant '${tenantId}' blocks federated credentials for app '${clientId}' with issuer '${issuer}' (${code}). Ask a tenant administrator to allow this issuer for the app in the tenant's app management policy, or use an app or managed identity the policy exempts.`,
  issuerUnreachable: (code: string, issuer: string) =>
    `Microsoft Entra ID could not reach the OIDC token's issuer '${issuer}' to check it (${code}), even after retries. This is usually temporary: re-run the job; if it persists, check the Azure DevOps and Microsoft Entra status pages.`,
  conditionalAccess: (code: string, clientId: string, tenantId: string) =>
    `A Conditional Access policy in tenant '${tenantId}' blocked app '${clientId}' (${code}). Ask an administrator to exclude this workload identity from the policy or allow this agent's network location; Entra ID's service principal sign-in log names the policy.`,
  crossCloud: (code: string, authority: string) =>
    `The app lives in another cloud than the authority ${authority} (${code}). Set the service connection's environment (AzureCloud, AzureUSGovernment or AzureChinaCloud) to the cloud where the app is registered.`,
  invalidBoolean: (input: string, value: string) => `Input '${input}' is '${value}'. Set it to 'true' or 'false'.`,
  invalidOrganizationUrl: (value: string) =>
    `Input 'organizationUrl' is '${value}'. Give the organization's https:// URL, without a user name or password, for example 'https://dev.azure.com/contoso'.`,
  insecureConnectionUrl: (connectionId: string, value: string) =>
    `The URL of service connection '${connectionId}' is '${value}', which is not an https:// URL without a user name or password, so verifyAccess does not send the token there. Edit the connection's server URL, or set input 'organizationUrl' to the organization's URL, for example 'https://dev.azure.com/contoso'.`,
  insecureCollectionUri: (value: string) =>
    `The variable System.CollectionUri is '${value}', which is not an https:// URL without a user name or password, so verifyAccess does not send the token there. Set input 'organizationUrl' to the organization's URL, for example 'https://dev.azure.com/contoso'.`,
  verifyNeedsDevOpsScope: (scope: string) =>
    `Input 'verifyAccess' checks access to Azure DevOps, but input 'scope' asks for '${scope}'. Remove 'scope' (or set it to '${DEFAULT_SCOPE}'), or set 'verifyAccess' to false.`,
  notAnOrganizationUser: (clientId: string, organization: string) =>
    `Azure DevOps at ${organization} does not know the service principal '${clientId}' (TF401444). Add it as a user in ${organization} (Organization settings > Users > Add users, search for the app's name), with the least access level that works.`,
  notInProject: (clientId: string, organization: string) =>
    `The service principal '${clientId}' is a user of ${organization}, but not of the project the call names (VS800075). Add it to that project (Project settings > Permissions, for example to Readers) or grant it the permission the call needs.`,
  notAMember: (clientId: string, organization: string, answer: string) =>
    `Azure DevOps at ${organization} did not accept the token (it answered ${answer}). Add the service principal '${clientId}' as a user in ${organization} (Organization settings > Users), with the least access level that works.`,
  verifiedIdentity: (displayName: string, id: string, organization: string) =>
    `Verified: the token authenticates to ${organization} as '${displayName}' (identity id ${id}).`,
  invalidToolUrl: (input: string, value: string) =>
    `Input '${input}' has the line '${value}', which is not an https:// URL without a user name or password, so no token is sent there. Give one feed, registry, index or organization URL per line, for example 'https://pkgs.dev.azure.com/contoso/_packaging/feed/npm/registry/'.`,
  invalidEnvironmentVariable: (value: string) =>
    `Input 'environmentVariables' has the line '${value}'. Give one variable name per line, letters, digits and '_', not starting with a reserved prefix such as SYSTEM_ or AGENT_, for example 'RENOVATE_TOKEN'.`,
  toolsConfigured: (names: string) => `Configured for later steps: ${names}.`,
  invalidToolHost: (input: string, value: string) =>
    `Input '${input}' has the line '${value}'. Give one registry host name per line, without https:// or a path, for example 'contoso.azurecr.io'.`,
  registryExchangeFailed: (registry: string, answer: string) =>
    `Container registry ${registry} did not exchange the Entra token for a registry token (it answered ${answer}). Give the service principal a role on the registry (for example AcrPull), and check that '${registry}' is the registry's login server.`,
  invalidNamedUrl: (input: string, value: string) =>
    `Input '${input}' has the line '${value}'. Give one name=URL per line: a name of letters, digits, '.', '_' or '-', then '=', then the https:// URL, for example 'contoso-feed=https://pkgs.dev.azure.com/contoso/_packaging/feed/maven/v1'.`,
  duplicateToolName: (input: string, name: string) => `Input '${input}' names '${name}' on more than one line. Give each name once.`,
  invalidAdditionalToken: (line: string) =>
    `Input 'additionalTokens' has the line '${line}'. Give one NAME=SCOPE per line, for example 'GraphToken=https://graph.microsoft.com/.default'.`,
  invalidAdditionalTokenName: (line: string, name: string) =>
    `Input 'additionalTokens' has the line '${line}': '${name}' is not a variable name. Use letters, digits, '_' and '.', starting with a letter or '_', and no reserved prefix such as 'system.' or 'agent.'.`,
  invalidAdditionalTokenScope: (line: string, scope: string) =>
    `Input 'additionalTokens' has the line '${line}': '${scope}' is not one scope. Give a single resource or '.default' scope, for example 'https://graph.microsoft.com/.default'.`,
  duplicateAdditionalToken: (line: string, name: string, other: string) =>
    `Input 'additionalTokens' has the line '${line}', but the name '${name}' is already used by ${other}. Give every token its own name.`,
  additionalExported: (scope: string, name: string, expiresOn: string) =>
    `Access token for '${scope}' exported as secret variable '${name}' (expires ${expiresOn}).`,
  cleanupRefused: (path: string) => `Not deleting '${path}': it is outside Agent.TempDirectory.`,
  cleanedUp: (count: number) => `EntraToken removed ${count} file${count === 1 ? '' : 's'} it wrote for tools.`,
  entraSupportIds: (message: string, ids: string) => `${message} For Microsoft support: ${ids}.`,
  serviceDidNotStart: (detail: string) =>
    `The token service did not start (${detail}). Re-run the job; set 'tokenService' to false to get a single token without it.`,
  serviceNeedsFederation: (scheme: string) =>
    `Input 'tokenService' needs a workload identity federation connection, but this one uses '${scheme}'. Convert the connection, or set 'tokenService' to false.`,
  serviceStarted: (url: string, scopes: string) =>
    `Token service listening on ${url} for ${scopes}, until the job ends. Later steps: ManagedIdentityCredential (IDENTITY_ENDPOINT, IDENTITY_HEADER; MSI_ENDPOINT, MSI_SECRET), git, or GET $ENTRATOKEN_SERVICE_URL with the header X-EntraToken-Secret.`,
  workloadIdentityExported: (file: string) =>
    `Workload identity for later steps: AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_AUTHORITY_HOST, and AZURE_FEDERATED_TOKEN_FILE=${file}, an OIDC assertion the service rewrites before it expires. WorkloadIdentityCredential and DefaultAzureCredential use it for any scope the app may get; tokenServiceScopes does not limit them.`,
  terraformExported: (names: string) => `Terraform (azurerm, azuread): ${names}.`,
  terraformNeedsService: () =>
    `Input 'terraformVariables' needs the token service, which keeps ARM_OIDC_TOKEN_FILE_PATH current. Set 'tokenService' to true as well, or remove 'terraformVariables'.`,
  serviceRotated: (rewrites: number, failed: number, age: number | undefined, lifetime: number | undefined) =>
    `Token service: AZURE_FEDERATED_TOKEN_FILE rewritten ${rewrites} time(s)${age === undefined ? '' : `; the oldest assertion was replaced ${age} s after it was issued${lifetime === undefined ? '' : `, of a ${lifetime} s life`}`}${failed > 0 ? `; ${failed} rewrite(s) failed and were retried` : ''}.`,
  tokenFileRemoved: () => `Deleted the federated token file.`,
  tokenFileNotRemoved: (path: string, detail: string) =>
    `Could not delete the federated token file '${path}' (${detail}); the agent deletes Agent.TempDirectory after the job.`,
  serviceStopped: (pid: number) => `Stopped the token service (process ${pid}).`,
  serviceIssued: (scope: string, issued: number, failed: number, lastExpiresOn: string | undefined) =>
    `Token service: ${scope}: ${issued} token(s) issued${lastExpiresOn === undefined ? '' : `, the last one expiring ${lastExpiresOn}`}${failed > 0 ? `; ${failed} refresh(es) failed` : ''}.`,
  serviceAlreadyGone: (pid: number) =>
    `The token service (process ${pid}) had already stopped: it stops by itself when the agent process is gone or after 24 hours.`,
  serviceRecordUnreadable: () =>
    `EntraToken found no readable record of its token service, so it did not stop it; the agent ends it with the job's other processes.`,
  legacyIssuer: (issuer: string) =>
    `This connection's OIDC tokens use the legacy issuer '${issuer}', which Azure DevOps retires on 1 July 2027. Convert the service connection to the Entra issuer (Project settings > Service connections > the connection), then update the federated credential's issuer and subject to the values the connection shows.`,
  entraRefused: (code: string, clientId: string, tenantId: string, detail: string) =>
    `Microsoft Entra ID refused the token request for app '${clientId}' in tenant '${tenantId}' (${code}): ${detail}`,
  entraFailed: (host: string, detail: string) =>
    `Microsoft Entra ID at ${host} did not issue a token (${detail}). If the last attempt was a 5xx or a timeout, this is usually temporary: re-run the job. Otherwise, or if it persists, check the authority configured on the service connection and re-run with System.Debug=true.`,
  tokenUnusable: (reason: string) =>
    `The access token Microsoft Entra ID returned cannot be used (${reason}), so nothing was exported. Re-run the job; if it persists, check that the connection's authority (or AZURE_AUTHORITY_HOST) points at Microsoft Entra ID and not at a proxy or another service.`,
  unexpected: (detail: string) =>
    `EntraToken failed unexpectedly: ${detail}. Re-run with System.Debug=true and report the log (it contains no secrets) at the project's issue tracker.`,
  timedOut: (seconds: number) =>
    `EntraToken did not finish within ${seconds} seconds and stopped. Check the agent's network and proxy settings; re-run with System.Debug=true to see which request was slow, or raise ENTRATOKEN_TIMEOUT_MS (in milliseconds).`,

  connectionSummary: (kind: string, id: string, scheme: string, tenantId: string, clientId: string) =>
    `Service connection '${id}' (${kind}, ${scheme}): tenant ${tenantId || "(the identity's own)"}, client ${clientId || '(system-assigned identity)'}.`,
  authority: (host: string) => `Entra authority: ${host}`,
  oidcClaims: (issuer: string, subject: string, audience: string, expiresAt: string) =>
    `OIDC token: issuer '${issuer}', subject '${subject}', audience '${audience}', expires ${expiresAt}.`,
  exported: (scope: string, variableName: string, expiresOn: string) =>
    `Access token for '${scope}' exported as secret variable '${variableName}' (expires ${expiresOn}). Map it into a later step's environment with env: or use $(${variableName}).`,
} as const;
