// Many tokens in one run: one per distinct scope, minted one after another with the same proof (the OIDC
// assertion is fetched once), each registered as a secret the moment it arrives.
import type { SecretRegistry } from '../common/secrets';
import type { AccessToken } from './exchange';

export type Minter = (scope: string) => Promise<AccessToken>;

/** The main token plus one per other distinct scope, keyed by scope. */
export async function mintScopes(
  main: { scope: string; token: AccessToken },
  scopes: readonly string[],
  mint: Minter,
  secrets: SecretRegistry,
): Promise<ReadonlyMap<string, AccessToken>> {
  const tokens = new Map<string, AccessToken>([[main.scope, main.token]]);
  for (const scope of scopes) {
    if (tokens.has(scope)) continue;
    const token = await mint(scope);
    secrets.register(token.token);
    tokens.set(scope, token);
  }
  return tokens;
}

/** How the log names the token of a scope: the variable that holds it, else the scope. */
export function tokenLabel(
  scope: string,
  named: readonly { name: string; scope: string }[],
  main: { scope: string; variableName: string },
): string {
  if (scope === main.scope) return `token '${main.variableName}'`;
  const holder = named.find((entry) => entry.scope === scope);
  return holder === undefined ? `token for '${scope}'` : `token '${holder.name}'`;
}
