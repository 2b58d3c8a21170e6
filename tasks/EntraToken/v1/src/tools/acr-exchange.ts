// ACR's own token exchange: an ARM-scope Entra token, posted to https://<registry>/oauth2/exchange, becomes a
// registry refresh token. The task does it once for the Docker config; the token service does it again for the
// credential helper whenever the refresh token it holds nears its end.
import { TaskError, messages } from '../common/messages';
import { parseJson, stringField } from '../common/json';
import type { SecretRegistry } from '../common/secrets';
import type { HttpSender } from '../http/sender';

export const ARM_SCOPE = 'https://management.azure.com/.default';

export interface RegistryExchange {
  readonly send: HttpSender;
  readonly secrets: SecretRegistry;
  readonly tenantId: string;
}

export async function exchangeForRefreshToken(registry: string, armToken: string, exchange: RegistryExchange): Promise<string> {
  const body = new URLSearchParams({ grant_type: 'access_token', service: registry, access_token: armToken });
  if (exchange.tenantId !== '') body.set('tenant', exchange.tenantId);
  let response;
  try {
    response = await exchange.send({
      method: 'POST',
      url: `https://${registry}/oauth2/exchange`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
  } catch (error) {
    if (error instanceof TaskError) throw error;
    throw new TaskError(messages.registryExchangeFailed(registry, error instanceof Error ? error.message : String(error)));
  }
  const refreshToken = stringField(parseJson(response.bodyText), 'refresh_token');
  if (refreshToken !== undefined) exchange.secrets.register(refreshToken);
  if (response.status !== 200 || refreshToken === undefined)
    throw new TaskError(messages.registryExchangeFailed(registry, `HTTP ${String(response.status)}`));
  return refreshToken;
}
