// Exchanges the OIDC token for an Entra access token with @azure/identity's ClientAssertionCredential.
import { ClientAssertionCredential } from '@azure/identity';
import type { HttpContext } from './http';
import { USER_AGENT } from './http';
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

export function createEntraExchanger(context: HttpContext): TokenExchanger {
  return async (request) => {
    const credential = new ClientAssertionCredential(
      request.tenantId,
      request.clientId,
      // The credential calls this twice per token; the assertion was fetched once, up front.
      () => Promise.resolve(request.assertion),
      {
        authorityHost: request.authorityHost,
        disableInstanceDiscovery: request.disableInstanceDiscovery,
        proxyOptions: proxyFor(request.authorityHost, context.agentProxy),
        retryOptions: {
          maxRetries: context.limits.maxRetries,
          retryDelayInMs: context.limits.retryDelayMs,
          maxRetryDelayInMs: context.limits.maxRetryDelayMs,
        },
        additionalPolicies: [{ policy: context.attemptPolicy, position: 'perRetry' }],
        userAgentOptions: { userAgentPrefix: USER_AGENT },
      },
    );
    const abortSignal = AbortSignal.timeout(Math.max(1, context.deadline - Date.now()));
    const result = await credential.getToken(request.scope, { abortSignal });
    return { token: result.token, expiresOn: new Date(result.expiresOnTimestamp) };
  };
}
