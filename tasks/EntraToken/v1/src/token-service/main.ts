// The background token service process: receives its configuration over IPC, listens on a random loopback
// port, reports the port, and exits when the post-job step asks (an authenticated request, no signal: Windows
// has none to send), when the agent that started it is gone, or after its lifetime. It writes no file: what it
// did is kept in memory and handed to the post-job step, so a deleted Agent.TempDirectory cannot stop it. Its one
// file is the federated token file, which it keeps current and deletes as it exits.
import { SecretRegistry } from '../common/secrets';
import { parseServiceConfig, type ServiceConfig } from './config';
import { watchAgent } from './liveness';
import { TokenMinter } from './minter';
import { createServiceServer } from './server';
import { createAssertionSource, createServiceMint, createServiceSender } from './service-mint';
import { RegistryTokens } from './registry-tokens';
import { ARM_SCOPE, exchangeForRefreshToken } from '../tools/acr-exchange';
import { IssuanceRecord } from './summary';
import { removeTokenFile, writeTokenFile } from './assertion-file';
import { AssertionRotation } from './rotation';

const AGENT_CHECK_MS = 5_000;

async function start(config: ServiceConfig): Promise<void> {
  // Nothing here prints; the registry only scrubs error text before it reaches a caller.
  const secrets = new SecretRegistry({ setSecret: () => undefined });
  secrets.remember(config.jobToken);
  const record = new IssuanceRecord();
  const minter = new TokenMinter(createServiceMint(config, secrets), {
    issued: (scope, token) => {
      // Scrubbed from any error text the service answers with, like every secret it has seen.
      secrets.remember(token.token);
      record.issued(scope, token.expiresOn);
    },
    failed: (scope) => {
      record.failed(scope);
    },
  });
  const exchange = { send: createServiceSender(config), secrets, tenantId: config.tenantId };
  const registries = new RegistryTokens(config.registries, async (registry) =>
    exchangeForRefreshToken(registry, (await minter.get(ARM_SCOPE)).token, exchange),
  );
  const rotation = new AssertionRotation({
    fetch: createAssertionSource(config, secrets),
    write: (assertion) => writeTokenFile(config.federatedTokenFile, assertion),
  });
  process.on('exit', () => {
    rotation.stop();
    removeTokenFile(config.federatedTokenFile);
  });
  const stop = () => process.exit(0);
  // The file exists before the task reports the service, so the very next step can read it.
  await rotation.start(config.initialAssertion);
  const server = createServiceServer({
    secret: config.secret,
    controlSecret: config.controlSecret,
    allowedScopes: config.allowedScopes,
    clientId: config.clientId,
    minter,
    redact: (text) => secrets.redact(text),
    registries,
    summary: () => ({ ...record.summary(process.pid), federatedTokenFile: rotation.summary() }),
    onShutdown: stop,
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    process.send?.({ port });
  });
  const agent = watchAgent(config.agentPid);
  if (agent.watching) {
    setInterval(() => {
      if (agent.gone()) stop();
    }, AGENT_CHECK_MS).unref();
  }
  setTimeout(stop, config.lifetimeMs).unref();
  process.on('SIGTERM', stop);
}

export function runTokenService(): void {
  process.once('message', (message: unknown) => {
    const config = parseServiceConfig(message);
    if (!config) process.exit(2);
    start(config).catch((error: unknown) => {
      // The task shows this in its one error line; it holds no secret (a path and a system error).
      const detail = error instanceof Error ? error.message : String(error);
      if (process.send) process.send({ error: detail }, () => process.exit(3));
      else process.exit(3);
    });
  });
}
