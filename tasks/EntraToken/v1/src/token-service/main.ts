// The background token service process: receives its configuration over IPC, listens on a random loopback
// port, reports the port, and exits when told to, when the agent that started it is gone, or after its lifetime.
import { appendFileSync } from 'node:fs';
import { createEntraExchanger } from '../token/exchange';
import { createHttpSender, type HttpContext } from '../http/sender';
import { RequestJournal } from '../http/journal';
import { requestOidcToken } from '../token/oidc';
import { SecretRegistry } from '../common/secrets';
import { parseServiceConfig, type ServiceConfig } from './config';
import { TokenMinter, type Mint } from './minter';
import { createServiceServer } from './server';

const AGENT_CHECK_MS = 5_000;

function httpContext(config: ServiceConfig): HttpContext {
  const deadline = Date.now() + config.limits.taskTimeoutMs;
  const journal = new RequestJournal({ requestTimeoutMs: config.limits.requestTimeoutMs, maxRetries: config.limits.maxRetries, deadline, onAttempt: () => undefined });
  const deadlineSignal = AbortSignal.timeout(config.limits.taskTimeoutMs);
  return { agentProxy: config.agentProxy, limits: config.limits, deadline, deadlineSignal, attemptPolicy: journal.policy() };
}

function createMint(config: ServiceConfig, secrets: SecretRegistry): Mint {
  return async (scope) => {
    const context = httpContext(config);
    const request = { requestUri: config.requestUri, connectionId: config.connectionId, jobToken: config.jobToken };
    const assertion = await requestOidcToken(request, createHttpSender(context), secrets);
    const { tenantId, clientId, authorityHost, disableInstanceDiscovery } = config;
    return createEntraExchanger(context)({ tenantId, clientId, authorityHost, disableInstanceDiscovery, scope, proof: { kind: 'federated', assertion } });
  };
}

function log(config: ServiceConfig, line: string): void {
  appendFileSync(config.logPath, `${new Date().toISOString()} ${line}\n`, { mode: 0o600 });
}

function agentAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function start(config: ServiceConfig): void {
  // Nothing here prints; the registry only scrubs error text before it reaches a caller.
  const secrets = new SecretRegistry({ setSecret: () => undefined });
  secrets.remember(config.jobToken);
  const minter = new TokenMinter(createMint(config, secrets), (scope, token) => {
    log(config, `issued a token for ${scope}, expires ${token.expiresOn.toISOString()}`);
  });
  const server = createServiceServer({
    secret: config.secret,
    allowedScopes: config.allowedScopes,
    clientId: config.clientId,
    minter,
    redact: (text) => secrets.redact(text),
  });
  const stop = (reason: string) => {
    log(config, `stopping: ${reason}`);
    process.exit(0);
  };
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    log(config, `listening on 127.0.0.1:${port} for ${config.allowedScopes.join(', ')}`);
    process.send?.({ port });
  });
  setInterval(() => {
    if (!agentAlive(config.agentPid)) stop('the agent process is gone');
  }, AGENT_CHECK_MS);
  setTimeout(() => {
    stop('its lifetime is over');
  }, config.lifetimeMs);
  process.on('SIGTERM', () => {
    stop('the post-job step asked');
  });
}

export function runTokenService(): void {
  process.once('message', (message: unknown) => {
    const config = parseServiceConfig(message);
    if (!config) process.exit(2);
    start(config);
  });
}
