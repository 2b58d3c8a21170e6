// How the service mints: a fresh OIDC assertion from Azure DevOps, then one Entra token request through a
// ClientAssertionCredential kept per scope. Keeping the credential keeps msal's authority metadata, so a mint
// after the first costs exactly two requests (OIDC and token) instead of fetching openid-configuration again.
import { ClientAssertionCredential } from '@azure/identity';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { createHttpSender, USER_AGENT, type HttpContext, type HttpSender } from '../http/sender';
import { RequestJournal } from '../http/journal';
import { proxyFor } from '../http/proxy';
import { requestOidcToken } from '../token/oidc';
import { usableToken, type AccessToken } from '../token/exchange';
import type { SecretRegistry } from '../common/secrets';
import type { ServiceConfig } from './config';
import type { Mint } from './minter';

function httpContext(config: ServiceConfig): HttpContext {
  const deadline = Date.now() + config.limits.taskTimeoutMs;
  const journal = new RequestJournal({
    requestTimeoutMs: config.limits.requestTimeoutMs,
    maxRetries: config.limits.maxRetries,
    deadline,
    onAttempt: () => undefined,
  });
  const deadlineSignal = AbortSignal.timeout(config.limits.taskTimeoutMs);
  return { agentProxy: config.agentProxy, limits: config.limits, deadline, deadlineSignal, attemptPolicy: journal.policy() };
}

/** For the service's own requests besides Entra's (the registry exchange), each call its own deadline. */
export function createServiceSender(config: ServiceConfig): HttpSender {
  return (request) => createHttpSender(httpContext(config))(request);
}

/** Per-attempt timeout for a credential that outlives any one mint (the whole mint is bounded by its signal). */
function attemptTimeout(ms: number): PipelinePolicy {
  return {
    name: 'entraTokenServiceAttemptTimeout',
    sendRequest: (request, next) => {
      if (!request.timeout) request.timeout = ms;
      return next(request);
    },
  };
}

interface ScopeCredential {
  readonly credential: ClientAssertionCredential;
  /** msal hands out its cached token while it has more than five minutes left; a forced mint must not get it. */
  lastToken?: string;
}

/** A fresh OIDC assertion from Azure DevOps for the connection, each call its own request and deadline. */
export function createAssertionSource(config: ServiceConfig, secrets: SecretRegistry): () => Promise<string> {
  return () => {
    const request = { requestUri: config.requestUri, connectionId: config.connectionId, jobToken: config.jobToken };
    return requestOidcToken(request, createHttpSender(httpContext(config)), secrets);
  };
}

export function createServiceMint(config: ServiceConfig, secrets: SecretRegistry): Mint {
  const fetchAssertion = createAssertionSource(config, secrets);
  const credentials = new Map<string, ScopeCredential>();
  let assertion = '';
  const create = (): ScopeCredential => ({
    credential: new ClientAssertionCredential(config.tenantId, config.clientId, () => Promise.resolve(assertion), {
      authorityHost: config.authorityHost,
      disableInstanceDiscovery: config.disableInstanceDiscovery,
      proxyOptions: proxyFor(config.authorityHost, config.agentProxy),
      retryOptions: {
        maxRetries: config.limits.maxRetries,
        retryDelayInMs: config.limits.retryDelayMs,
        maxRetryDelayInMs: config.limits.maxRetryDelayMs,
      },
      additionalPolicies: [{ policy: attemptTimeout(config.limits.requestTimeoutMs), position: 'perRetry' }],
      userAgentOptions: { userAgentPrefix: USER_AGENT },
    }),
  });
  const exchange = async (entry: ScopeCredential, scope: string, deadlineSignal: AbortSignal): Promise<AccessToken> => {
    const result = await entry.credential.getToken(scope, { abortSignal: deadlineSignal });
    entry.lastToken = result.token;
    return usableToken(result.token, result.expiresOnTimestamp);
  };
  return async (scope, forced) => {
    const context = httpContext(config);
    assertion = await fetchAssertion();
    let entry = credentials.get(scope);
    if (!entry || forced) credentials.set(scope, (entry = create()));
    const previous = entry.lastToken;
    const token = await exchange(entry, scope, context.deadlineSignal);
    if (token.token !== previous) return token;
    // msal answered from its cache (a clock edge around its five-minute margin): ask a new credential.
    credentials.set(scope, (entry = create()));
    return exchange(entry, scope, context.deadlineSignal);
  };
}
