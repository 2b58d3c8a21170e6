// Orchestration only: inputs → connection → OIDC token → Entra token → export (→ optional access check).
// Every check that needs no network runs before the first request.
import { applyTools } from './tools/apply';
import { hasToolTargets } from './tools/targets';
import { decodeClaims, type TokenClaims } from './token/claims';
import { readConnection, type ServiceConnection } from './connection/connection';
import { explainExchangeFailure } from './token/entra-errors';
import type { ExchangeProof, TokenExchanger } from './token/exchange';
import { exportToken } from './outputs/export';
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
  /** The git credential helper command that asks the token service, used when it runs. */
  readonly gitCredentialHelper: string;
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

function reportClaims(pipeline: Pipeline, claims: TokenClaims | undefined): void {
  const { issuer = '?', subject = '?', audience = '?' } = claims ?? {};
  pipeline.info(messages.oidcClaims(issuer, subject, audience, claims?.expiresAt?.toISOString() ?? '?'));
  if (issuer.startsWith(LEGACY_ISSUER)) pipeline.warning(messages.legacyIssuer(issuer));
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

/** Starts the token service for a federated connection; it is exported only once nothing else can fail. */
function startService(deps: RunDependencies, inputs: TaskInputs, connection: ServiceConnection, plan: ProofPlan & { kind: 'oidc' }): Promise<RunningService> {
  const { tenantId, clientId, authorityHost, disableInstanceDiscovery } = connection;
  return deps.launchService({
    requestUri: plan.requestUri,
    jobToken: plan.jobToken,
    connectionId: connection.id,
    tenantId,
    clientId,
    authorityHost,
    disableInstanceDiscovery,
    allowedScopes: inputs.tokenService.scopes,
  });
}

/** What the run will present to Entra, settled before any request: a federated OIDC request, or the connection's own proof. */
type ProofPlan =
  | { readonly kind: 'oidc'; readonly requestUri: string; readonly jobToken: string }
  | { readonly kind: 'direct'; readonly proof: Exclude<ExchangeProof, { readonly kind: 'federated' }> };

function planProof(pipeline: Pipeline, secrets: SecretRegistry, connection: ServiceConnection): ProofPlan {
  const { proof } = connection;
  if (proof.kind === 'secret') secrets.remember(proof.secret);
  if (proof.kind === 'certificate') secrets.remember(proof.pem);
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

async function obtainProof(deps: RunDependencies, connectionId: string, plan: ProofPlan): Promise<{ proof: ExchangeProof; claims?: TokenClaims }> {
  if (plan.kind === 'direct') return { proof: plan.proof };
  const assertion = await requestOidcToken({ requestUri: plan.requestUri, jobToken: plan.jobToken, connectionId }, deps.send, deps.secrets);
  const claims = decodeClaims(assertion);
  reportClaims(deps.pipeline, claims);
  return { proof: { kind: 'federated', assertion }, claims };
}

export async function run(deps: RunDependencies): Promise<void> {
  const { pipeline, secrets } = deps;
  const inputs = readInputs(pipeline);
  const connection = readConnection(pipeline, inputs, deps.authorityHostVariable);
  const plan = planProof(pipeline, secrets, connection);
  if (inputs.tokenService.enabled && plan.kind !== 'oidc') throw new TaskError(messages.serviceNeedsFederation(connection.scheme));
  const organization = inputs.verifyAccess ? organizationFor(pipeline, inputs, connection) : '';

  pipeline.info(messages.connectionSummary(inputs.connectionType, connection.id, connection.scheme, connection.tenantId, connection.clientId));
  if (connection.proof.kind !== 'managedIdentity') pipeline.info(messages.authority(connection.authorityHost));

  const { proof, claims } = await obtainProof(deps, connection.id, plan);
  let token;
  try {
    token = await deps.exchange({
      tenantId: connection.tenantId,
      clientId: connection.clientId,
      authorityHost: connection.authorityHost,
      disableInstanceDiscovery: connection.disableInstanceDiscovery,
      scope: inputs.scope,
      proof,
    });
  } catch (error) {
    if (deps.journal.refusal) throw deps.journal.refusal;
    const lastAttempt = deps.journal.lastFor(new URL(connection.authorityHost).host);
    throw explainExchangeFailure(error, { connection, claims, scope: inputs.scope, settingsUrl: settingsUrl(pipeline, connection.id), lastAttempt });
  }
  secrets.register(token.token);

  // Everything that can fail runs before the first variable is set: a failed run exports nothing.
  const identity = inputs.verifyAccess ? await deps.verify({ organizationUrl: organization, token: token.token, clientId: connection.clientId }) : undefined;
  const service = inputs.tokenService.enabled && plan.kind === 'oidc' ? await startService(deps, inputs, connection, plan) : undefined;
  try {
    if (hasToolTargets(inputs.tools)) applyTools(inputs.tools, token.token, pipeline, secrets, service ? deps.gitCredentialHelper : undefined);
  } catch (error) {
    if (service) deps.stopService(service);
    throw error;
  }
  if (service) exportService(pipeline, secrets, service, inputs.tokenService.scopes);
  exportToken(pipeline, inputs.variableName, token, connection);
  pipeline.info(messages.exported(inputs.scope, inputs.variableName, token.expiresOn.toISOString()));
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
