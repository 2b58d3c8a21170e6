// Orchestration only: inputs → connection → OIDC token → Entra token → export (→ optional access check).
// Every check that needs no network runs before the first request.
import { applyTools } from './tools/apply';
import { hasToolTargets } from './tools/targets';
import { toolScopes } from './tools/registry';
import type { CredentialHelpers } from './tools/tool-module';
import { mintScopes, tokenLabel } from './token/scopes';
import { decodeClaims, type TokenClaims } from './token/claims';
import { proofSecrets, readConnection, type ServiceConnection } from './connection/connection';
import { isPublicAuthority } from './connection/clouds';
import { explainExchangeFailure } from './token/entra-errors';
import type { ExchangeProof, TokenExchanger } from './token/exchange';
import { exportNamedToken, exportToken } from './outputs/export';
import type { HttpSender } from './http/sender';
import { readInputs, type TaskInputs } from './inputs';
import type { RequestJournal } from './http/journal';
import { TaskError, messages } from './common/messages';
import { requestOidcToken } from './token/oidc';
import { requireSecureUrl } from './http/secure-url';
import type { Pipeline } from './platform/port';
import type { SecretRegistry } from './common/secrets';
import { exportService } from './token-service/export';
import type { RunningService, ServiceLauncher } from './token-service/launch';
import { startJobService } from './token-service/job-service';
import type { AccessVerifier } from './outputs/verify-access';

export interface RunDependencies {
  readonly pipeline: Pipeline;
  readonly secrets: SecretRegistry;
  readonly send: HttpSender;
  readonly exchange: TokenExchanger;
  readonly verify: AccessVerifier;
  readonly launchService: ServiceLauncher;
  /** Ends a service this run started when a later step fails, so no unrecorded process outlives the task. */
  readonly stopService: (service: RunningService) => void;
  /** The git and docker credential helpers that ask the token service, used when it runs. */
  readonly credentialHelpers: CredentialHelpers;
  readonly journal: Pick<RequestJournal, 'lastFor' | 'refusal'>;
  /** The AZURE_AUTHORITY_HOST environment variable, used when the connection names no cloud. */
  readonly authorityHostVariable: string | undefined;
}

const LEGACY_ISSUER = 'https://vstoken.dev.azure.com/';

function readJobToken(pipeline: Pipeline): string {
  let token: string | undefined;
  try {
    token = pipeline.getEndpointAuthorization('SystemVssConnection')?.parameters.AccessToken;
  } catch {
    token = undefined;
  }
  if (!token) throw new TaskError(messages.jobTokenMissing());
  return token;
}

/**
 * Microsoft retires the legacy issuer only for the public cloud and single-tenant apps: connections to sovereign
 * clouds and multi-tenant apps (a tenantId override asks for another tenant) stay on it, so they get no warning.
 */
function legacyIssuerRetires(connection: ServiceConnection, inputs: TaskInputs): boolean {
  return isPublicAuthority(connection.authorityHost) && inputs.tenantId === undefined;
}

function reportClaims(pipeline: Pipeline, claims: TokenClaims | undefined, warnLegacy: boolean): void {
  const { issuer = '?', subject = '?', audience = '?' } = claims ?? {};
  pipeline.info(messages.oidcClaims(issuer, subject, audience, claims?.expiresAt?.toISOString() ?? '?'));
  if (warnLegacy && issuer.startsWith(LEGACY_ISSUER)) pipeline.warning(messages.legacyIssuer(issuer));
}

function settingsUrl(pipeline: Pipeline, connectionId: string): string {
  const collection = (pipeline.getVariable('System.CollectionUri') ?? 'https://dev.azure.com/<organization>/').replace(/\/?$/, '/');
  const project = encodeURIComponent(pipeline.getVariable('System.TeamProject') ?? '<project>');
  return `${collection}${project}/_settings/adminservices?resourceId=${encodeURIComponent(connectionId)}`;
}

/** Where verifyAccess sends the token: the input, else the Azure DevOps connection's URL, else this organization. */
function organizationFor(pipeline: Pipeline, inputs: TaskInputs, connection: ServiceConnection): string {
  if (inputs.organizationUrl !== undefined) return inputs.organizationUrl;
  const connectionUrl = connection.kind === 'azureDevOps' ? pipeline.getEndpointUrl(connection.id) : undefined;
  if (connectionUrl) {
    requireSecureUrl(connectionUrl, (shown) => messages.insecureConnectionUrl(connection.id, shown));
    return connectionUrl;
  }
  const collection = pipeline.getVariable('System.CollectionUri');
  if (!collection) throw new TaskError(messages.invalidOrganizationUrl(''));
  requireSecureUrl(collection, messages.insecureCollectionUri);
  return collection;
}

function identityOf(connection: ServiceConnection) {
  const { tenantId, clientId, authorityHost, disableInstanceDiscovery } = connection;
  return { tenantId, clientId, authorityHost, disableInstanceDiscovery };
}

/** What the run will present to Entra, settled before any request: a federated OIDC request, or the connection's own proof. */
type ProofPlan =
  | { readonly kind: 'oidc'; readonly requestUri: string; readonly jobToken: string }
  | { readonly kind: 'direct'; readonly proof: Exclude<ExchangeProof, { readonly kind: 'federated' }> };

function planProof(pipeline: Pipeline, secrets: SecretRegistry, connection: ServiceConnection): ProofPlan {
  const { proof } = connection;
  // The agent already masks the connection's own secrets; remembering them lets us scrub them from our text.
  for (const secret of proofSecrets(proof)) secrets.remember(secret);
  if (proof.kind !== 'federated') return { kind: 'direct', proof };
  // Only Azure DevOps Services issues OIDC tokens; Server's agents say so in System.ServerType.
  const serverType = pipeline.getVariable('System.ServerType');
  if (serverType && serverType.toLowerCase() !== 'hosted') throw new TaskError(messages.federationNeedsServices(serverType));
  const requestUri = pipeline.getVariable('System.OidcRequestUri');
  if (!requestUri) throw new TaskError(messages.oidcRequestUriMissing());
  requireSecureUrl(requestUri, messages.oidcRequestUriInvalid);
  const jobToken = readJobToken(pipeline);
  secrets.remember(jobToken);
  return { kind: 'oidc', requestUri, jobToken };
}

async function obtainProof(
  deps: RunDependencies,
  connectionId: string,
  plan: ProofPlan,
  warnLegacy: boolean,
): Promise<{ proof: ExchangeProof; claims?: TokenClaims }> {
  if (plan.kind === 'direct') return { proof: plan.proof };
  const assertion = await requestOidcToken({ requestUri: plan.requestUri, jobToken: plan.jobToken, connectionId }, deps.send, deps.secrets);
  const claims = decodeClaims(assertion);
  reportClaims(deps.pipeline, claims, warnLegacy);
  return { proof: { kind: 'federated', assertion }, claims };
}

export async function run(deps: RunDependencies): Promise<void> {
  const { pipeline, secrets } = deps;
  const inputs = readInputs(pipeline);
  const connection = readConnection(pipeline, inputs, deps.authorityHostVariable);
  const plan = planProof(pipeline, secrets, connection);
  if (inputs.tokenService.enabled && plan.kind !== 'oidc') throw new TaskError(messages.serviceNeedsFederation(connection.scheme));
  const organization = inputs.verifyAccess ? organizationFor(pipeline, inputs, connection) : '';

  pipeline.info(
    messages.connectionSummary(inputs.connectionType, connection.id, connection.scheme, connection.tenantId, connection.clientId),
  );
  if (connection.proof.kind !== 'managedIdentity') pipeline.info(messages.authority(connection.authorityHost));

  const { proof, claims } = await obtainProof(deps, connection.id, plan, legacyIssuerRetires(connection, inputs));
  const mint = async (scope: string) => {
    try {
      return await deps.exchange({ ...identityOf(connection), scope, proof });
    } catch (error) {
      if (deps.journal.refusal) throw deps.journal.refusal;
      const lastAttempt = deps.journal.lastFor(new URL(connection.authorityHost).host);
      throw explainExchangeFailure(error, { connection, claims, scope, settingsUrl: settingsUrl(pipeline, connection.id), lastAttempt });
    }
  };
  const token = await mint(inputs.scope);
  secrets.register(token.token);
  const scopes = [...inputs.additionalTokens.map((entry) => entry.scope), ...toolScopes(inputs.tools)];
  const tokens = await mintScopes({ scope: inputs.scope, token }, scopes, mint, secrets);

  // Everything that can fail runs before the first variable is set: a failed run exports nothing.
  const identity = inputs.verifyAccess
    ? await deps.verify({ organizationUrl: organization, token: token.token, clientId: connection.clientId })
    : undefined;
  const running =
    inputs.tokenService.enabled && plan.kind === 'oidc' && proof.kind === 'federated'
      ? await startJobService(pipeline, deps.launchService, inputs, connection, { ...plan, assertion: proof.assertion })
      : undefined;
  const service = running?.service;
  const toolToken = (scope = inputs.scope) => ({
    token: (tokens.get(scope) ?? token).token,
    label: tokenLabel(scope, inputs.additionalTokens, inputs),
  });
  try {
    const services = {
      send: deps.send,
      secrets,
      tenantId: connection.tenantId,
      credentialHelpers: service ? deps.credentialHelpers : undefined,
    };
    if (hasToolTargets(inputs.tools)) await applyTools(inputs.tools, toolToken, pipeline, services);
  } catch (error) {
    if (service) deps.stopService(service);
    throw error;
  }
  if (running) exportService(pipeline, secrets, running.service, inputs.tokenService.scopes, running.identity);
  exportToken(pipeline, inputs.variableName, token, connection);
  pipeline.info(messages.exported(inputs.scope, inputs.variableName, token.expiresOn.toISOString()));
  for (const { name, scope } of inputs.additionalTokens) {
    const named = tokens.get(scope) ?? token;
    exportNamedToken(pipeline, name, named);
    pipeline.info(messages.additionalExported(scope, name, named.expiresOn.toISOString()));
  }
  if (identity) {
    pipeline.info(messages.verifiedIdentity(identity.displayName, identity.id, organization));
    pipeline.setVariable('identityId', identity.id, { secret: false, isOutput: true });
  }
}

/** The one line a failed run ends with, scrubbed of every secret seen so far. */
export function describeFailure(error: unknown, secrets: SecretRegistry): string {
  if (error instanceof TaskError) return secrets.redact(error.message);
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return secrets.redact(messages.unexpected(detail.replace(/\s+/g, ' ').trim()));
}
