// Entra answers AADSTS50166 / AADSTS90061 when it could not fetch the OIDC issuer's metadata: a hiccup between
// Entra and Azure DevOps, not a misconfiguration. Retry the exchange a few times before explaining it.
import type { Limits } from '../http/limits';
import { messages } from '../common/messages';
import { findAadstsCode, ISSUER_UNREACHABLE_CODES } from './entra-errors';
import type { TokenExchanger } from './exchange';

export interface IssuerRetryOptions {
  readonly limits: Pick<Limits, 'maxRetries' | 'retryDelayMs' | 'maxRetryDelayMs'>;
  /** Epoch ms after which no new attempt starts. */
  readonly deadline: number;
  readonly warn: (message: string) => void;
  readonly sleep?: (ms: number) => Promise<void>;
}

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function unreachableIssuerCode(error: unknown): string | undefined {
  const code = findAadstsCode(error instanceof Error ? error.message : String(error));
  return code !== undefined && ISSUER_UNREACHABLE_CODES.has(code) ? code : undefined;
}

export function retryWhenIssuerUnreachable(exchange: TokenExchanger, options: IssuerRetryOptions): TokenExchanger {
  const sleep = options.sleep ?? wait;
  const attempts = options.limits.maxRetries + 1;
  return async (request) => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await exchange(request);
      } catch (error) {
        const code = unreachableIssuerCode(error);
        const delay = Math.min(options.limits.retryDelayMs * 2 ** (attempt - 1), options.limits.maxRetryDelayMs);
        if (code === undefined || attempt >= attempts || Date.now() + delay >= options.deadline) throw error;
        options.warn(
          messages.retrying(
            new URL(request.authorityHost).host,
            `AADSTS${code}, the OIDC issuer was unreachable for Entra ID`,
            attempt,
            attempts,
          ),
        );
        await sleep(delay);
      }
    }
  };
}
