// Gets the Entra access token with the @azure/identity credential that matches the connection's proof.
import {
  ClientAssertionCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  type TokenCredential,
  type TokenCredentialOptions,
} from '@azure/identity';
import type { Proof } from '../connection/connection';
import { USER_AGENT, type HttpContext } from '../http/sender';
import { proxyFor } from '../http/proxy';
import { TaskError, messages } from '../common/messages';

export interface AccessToken {
  readonly token: string;
  readonly expiresOn: Date;
}

/** The connection's proof, with the OIDC token a federated identity presents as its assertion. */
export type ExchangeProof = Exclude<Proof, { readonly kind: 'federated' }> | { readonly kind: 'federated'; readonly assertion: string };

export interface ExchangeRequest {
  readonly tenantId: string;
  readonly clientId: string;
  readonly authorityHost: string;
  readonly disableInstanceDiscovery: boolean;
  readonly scope: string;
  readonly proof: ExchangeProof;
}

export type TokenExchanger = (request: ExchangeRequest) => Promise<AccessToken>;

/** msal-node reads a missing or non-numeric expires_in as "expires now", rounded up to the next second. */
export const MIN_TOKEN_LIFETIME_MS = 60 * 1000;

/** Longer than any token Entra or a managed identity endpoint issues; a later expiry is a broken answer. */
export const MAX_TOKEN_LIFETIME_MS = 48 * 60 * 60 * 1000;

function isoOrNumber(timestamp: number): string {
  const date = new Date(timestamp);
  return Number.isNaN(date.getTime()) ? String(timestamp) : date.toISOString();
}

/** The token as later steps will use it: checked here, so a broken answer fails the run before anything is exported. */
export function usableToken(token: string, expiresOnTimestamp: number, now = Date.now()): AccessToken {
  const unusable = (reason: string): TaskError => new TaskError(messages.tokenUnusable(reason));
  if (token === '') throw unusable('the token is empty');
  if (/[\s\p{Cc}]/u.test(token)) throw unusable('the token contains whitespace or control characters');
  if (!Number.isFinite(expiresOnTimestamp)) throw unusable('its expiry (expires_in) is missing or not a number');
  if (expiresOnTimestamp <= now) throw unusable(`it expired at ${isoOrNumber(expiresOnTimestamp)}`);
  if (expiresOnTimestamp - now < MIN_TOKEN_LIFETIME_MS)
    throw unusable(`it expires at ${isoOrNumber(expiresOnTimestamp)}, less than a minute from now`);
  if (expiresOnTimestamp - now > MAX_TOKEN_LIFETIME_MS) throw unusable(`it claims to be valid until ${isoOrNumber(expiresOnTimestamp)}`);
  return { token, expiresOn: new Date(expiresOnTimestamp) };
}

function createCredential(request: ExchangeRequest, options: TokenCredentialOptions): TokenCredential {
  const { tenantId, clientId, proof } = request;
  const entra = { ...options, authorityHost: request.authorityHost, disableInstanceDiscovery: request.disableInstanceDiscovery };
  switch (proof.kind) {
    case 'federated':
      // The credential calls this twice per token; the assertion was fetched once, up front.
      return new ClientAssertionCredential(tenantId, clientId, () => Promise.resolve(proof.assertion), entra);
    case 'secret':
      return new ClientSecretCredential(tenantId, clientId, proof.secret, entra);
    case 'certificate':
      // The PEM (certificate and key) is handed over in memory: no file to write, protect or forget to delete.
      return new ClientCertificateCredential(tenantId, clientId, { certificate: proof.pem }, entra);
    case 'managedIdentity':
      return clientId === '' ? new ManagedIdentityCredential(options) : new ManagedIdentityCredential({ ...options, clientId });
  }
}

export function createEntraExchanger(context: HttpContext): TokenExchanger {
  // One credential per identity and proof, reused across scopes: a custom authority host is then discovered
  // once per run, not once per token.
  const credentials = new WeakMap<ExchangeProof, Map<string, TokenCredential>>();
  const credentialFor = (request: ExchangeRequest): TokenCredential => {
    const key = JSON.stringify([request.tenantId, request.clientId, request.authorityHost, request.disableInstanceDiscovery]);
    const known = credentials.get(request.proof) ?? new Map<string, TokenCredential>();
    credentials.set(request.proof, known);
    const existing = known.get(key);
    if (existing !== undefined) return existing;
    const created = newCredential(request);
    known.set(key, created);
    return created;
  };
  const newCredential = (request: ExchangeRequest): TokenCredential =>
    createCredential(request, {
      proxyOptions: proxyFor(request.authorityHost, context.agentProxy),
      retryOptions: {
        maxRetries: context.limits.maxRetries,
        retryDelayInMs: context.limits.retryDelayMs,
        maxRetryDelayInMs: context.limits.maxRetryDelayMs,
      },
      additionalPolicies: [{ policy: context.attemptPolicy, position: 'perRetry' }],
      userAgentOptions: { userAgentPrefix: USER_AGENT },
    });
  return async (request) => {
    const credential = credentialFor(request);
    const result = await credential.getToken(request.scope, { abortSignal: context.deadlineSignal });
    if (result === null) throw new Error(`${credential.constructor.name} returned no token`);
    return usableToken(result.token, result.expiresOnTimestamp);
  };
}
