// Orchestration only: inputs → connection → OIDC token → Entra token → export. Every check that needs no network
// runs before the first request.
import { decodeClaims } from './claims';
import { readConnection } from './connection';
import { explainExchangeFailure } from './entra-errors';
import type { TokenExchanger } from './exchange';
import { exportToken } from './export';
import type { HttpSender } from './http';
import { readInputs } from './inputs';
import { TaskError, messages } from './messages';
import { requestOidcToken } from './oidc';
import type { Pipeline } from './port';
import type { SecretRegistry } from './secrets';

export interface RunDependencies {
  readonly pipeline: Pipeline;
  readonly secrets: SecretRegistry;
  readonly send: HttpSender;
  readonly exchange: TokenExchanger;
  /** The AZURE_AUTHORITY_HOST environment variable, used when the connection names no cloud. */
  readonly authorityHostVariable: string | undefined;
}

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

export async function run(deps: RunDependencies): Promise<void> {
  const { pipeline, secrets } = deps;
  const inputs = readInputs(pipeline);
  const connection = readConnection(pipeline, inputs, deps.authorityHostVariable);
  const requestUri = pipeline.getVariable('System.OidcRequestUri');
  if (!requestUri) throw new TaskError(messages.oidcRequestUriMissing());
  const jobToken = readJobToken(pipeline);

  pipeline.info(messages.connectionSummary(inputs.connectionType, connection.id, connection.tenantId, connection.clientId));
  pipeline.info(messages.authority(connection.authorityHost));

  const assertion = await requestOidcToken({ requestUri, connectionId: connection.id, jobToken }, deps.send, secrets);
  const claims = decodeClaims(assertion);
  pipeline.info(
    messages.oidcClaims(
      claims?.issuer ?? '?',
      claims?.subject ?? '?',
      claims?.audience ?? '?',
      claims?.expiresAt?.toISOString() ?? '?',
    ),
  );

  let token;
  try {
    token = await deps.exchange({
      tenantId: connection.tenantId,
      clientId: connection.clientId,
      authorityHost: connection.authorityHost,
      disableInstanceDiscovery: connection.disableInstanceDiscovery,
      scope: inputs.scope,
      assertion,
    });
  } catch (error) {
    throw explainExchangeFailure(error, connection, claims);
  }
  secrets.register(token.token);
  exportToken(pipeline, inputs.variableName, token, connection);
  pipeline.info(messages.exported(inputs.scope, inputs.variableName, token.expiresOn.toISOString()));
}

/** The one line a failed run ends with, scrubbed of every secret seen so far. */
export function describeFailure(error: unknown, secrets: SecretRegistry): string {
  if (error instanceof TaskError) return secrets.redact(error.message);
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return secrets.redact(messages.unexpected(detail.replace(/\s+/g, ' ').trim()));
}
