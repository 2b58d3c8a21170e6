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
    const abortSignal = AbortSignal.timeout(Math.max(1, context.deadline - Date.now()));
    const result = await credential.getToken(request.scope, { abortSignal });
    if (result === null) throw new Error(`${credential.constructor.name} returned no token`);
    return { token: result.token, expiresOn: new Date(result.expiresOnTimestamp) };
  };
}
