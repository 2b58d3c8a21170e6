// Hands the token to later steps: a secret job variable, and output variables for later jobs and stages.
import type { AccessToken } from '../token/exchange';
import type { VariableOptions } from '../platform/port';

export interface VariableSink {
  setVariable(name: string, value: string, options: VariableOptions): void;
}

export interface TokenIdentity {
  readonly tenantId: string;
  readonly clientId: string;
}

export const OUTPUTS = ['accessToken', 'expiresOn', 'tenantId', 'clientId'] as const;

export function exportToken(sink: VariableSink, variableName: string, token: AccessToken, identity: TokenIdentity): void {
  sink.setVariable(variableName, token.token, { secret: true, isOutput: false });
  sink.setVariable('accessToken', token.token, { secret: true, isOutput: true });
  sink.setVariable('expiresOn', token.expiresOn.toISOString(), { secret: false, isOutput: true });
  sink.setVariable('tenantId', identity.tenantId, { secret: false, isOutput: true });
  sink.setVariable('clientId', identity.clientId, { secret: false, isOutput: true });
}

/** An additional token: a secret job variable and a secret output under its name, and NAME_expiresOn. */
export function exportNamedToken(sink: VariableSink, name: string, token: AccessToken): void {
  sink.setVariable(name, token.token, { secret: true, isOutput: false });
  sink.setVariable(name, token.token, { secret: true, isOutput: true });
  sink.setVariable(`${name}_expiresOn`, token.expiresOn.toISOString(), { secret: false, isOutput: false });
  sink.setVariable(`${name}_expiresOn`, token.expiresOn.toISOString(), { secret: false, isOutput: true });
}
