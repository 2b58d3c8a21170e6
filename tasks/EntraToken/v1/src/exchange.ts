// Exchanges the OIDC token for an Entra access token with @azure/identity's ClientAssertionCredential.
import { ClientAssertionCredential } from '@azure/identity';
import type { AgentProxy } from './port';
import { proxyFor } from './proxy';

export interface AccessToken {
  readonly token: string;
  readonly expiresOn: Date;
}

export interface ExchangeRequest {
  readonly tenantId: string;
  readonly clientId: string;
  readonly authorityHost: string;
  readonly disableInstanceDiscovery: boolean;
  readonly scope: string;
  readonly assertion: string;
}

export type TokenExchanger = (request: ExchangeRequest) => Promise<AccessToken>;

export interface ExchangePolicy {
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly maxRetryDelayMs: number;
}

export function createEntraExchanger(agentProxy: AgentProxy | undefined, policy: ExchangePolicy): TokenExchanger {
  return async (request) => {
    const credential = new ClientAssertionCredential(
      request.tenantId,
      request.clientId,
      // The credential calls this twice per token; the assertion was fetched once, up front.
      () => Promise.resolve(request.assertion),
      {
        authorityHost: request.authorityHost,
        disableInstanceDiscovery: request.disableInstanceDiscovery,
        proxyOptions: proxyFor(request.authorityHost, agentProxy),
        retryOptions: { maxRetries: policy.maxRetries, maxRetryDelayInMs: policy.maxRetryDelayMs },
        userAgentOptions: { userAgentPrefix: 'EntraToken/1' },
      },
    );
    const result = await credential.getToken(request.scope, { abortSignal: AbortSignal.timeout(policy.timeoutMs) });
    return { token: result.token, expiresOn: new Date(result.expiresOnTimestamp) };
  };
}
