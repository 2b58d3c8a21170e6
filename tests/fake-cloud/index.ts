// Loopback HTTPS "fake cloud": Azure DevOps OIDC + connectionData on one random 127.0.0.1 port, Entra token
// exchange and an App Service managed identity endpoint on another, ARM's lists on a third, with a throwaway CA.
import { createServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { verifyAccessToken } from './access-token';
import { createTestCertificates } from './ca';
import { headerValue, jsonReply, listenOnLoopback, readBody } from './http-util';
import { MANAGED_IDENTITY_PATH } from './managed-identity';
import { createSigningKeyAsync } from './jwt';
import type { Reply, RequestContext } from './http-util';
import { matchRoute, type Side } from './router';
import { FakeCloudState } from './state';
import type { FakeCloud, FakeCloudOptions, Fault } from './types';
import { testTempDir } from '../temp';

export { createTestCertificates } from './ca';
export { createClientCertificate } from './client-certificate';
export { startConnectProxy } from './proxy';
export type * from './types';

function faultReply(fault: Fault): Reply {
  const body = fault.body ?? '';
  const looksJson = body.startsWith('{') || body.startsWith('[');
  return {
    status: fault.status,
    headers: { 'Content-Type': looksJson ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8', ...fault.headers },
    body,
  };
}

export async function startFakeCloud(options: FakeCloudOptions = {}): Promise<FakeCloud> {
  const entraKey = createSigningKeyAsync();
  const certificates = options.certificates ?? createTestCertificates(options.dir ?? testTempDir('fake-cloud-'));
  const state = new FakeCloudState(options, await entraKey);
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const ports: Record<Side, number> = { devops: 0, entra: 0, arm: 0 };

  // Resolves after ms unless the cloud closes first (then it never resolves; the socket is gone anyway).
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  async function serve(side: Side, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const host = headerValue(req.headers, 'host') ?? `127.0.0.1:${String(ports[side])}`;
    const url = new URL(req.url ?? '/', `https://${host}`);
    const method = req.method ?? 'GET';
    const record = (status: number): void => {
      state.requests.push({ method, host, path: url.pathname, status, ms: Math.round(performance.now() - started) });
    };
    let reply: Reply;
    try {
      const ctx: RequestContext = {
        method,
        host,
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: await readBody(req),
      };
      const match = matchRoute(state, ctx, side);
      const fault = match.route === undefined ? undefined : state.faults.take(match.route);
      if (fault?.delayMs !== undefined) await sleep(fault.delayMs);
      if (fault?.status === 0) {
        record(0);
        req.socket.destroy();
        return;
      }
      reply = fault === undefined ? match.handle(ctx) : faultReply(fault);
    } catch (error) {
      reply = jsonReply(500, { error: 'fake_cloud_failure', message: String(error) });
    }
    // Record before answering, so a caller that got the response always sees its record.
    record(reply.status);
    res.writeHead(reply.status, { 'Content-Length': String(Buffer.byteLength(reply.body)), ...reply.headers });
    res.end(reply.body);
  }

  const servers = (['devops', 'entra', 'arm'] as const).map((side) => {
    const server = createServer({ key: certificates.keyPem, cert: certificates.certPem }, (req, res) => {
      void serve(side, req, res);
    });
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    return { side, server };
  });
  for (const { side, server } of servers) ports[side] = await listenOnLoopback(server, `Fake cloud (${side})`);
  const port = ports.entra;
  const url = `https://127.0.0.1:${String(port)}`;
  const devOpsUrl = `https://127.0.0.1:${String(ports.devops)}`;
  const armUrl = `https://127.0.0.1:${String(ports.arm)}`;

  return {
    url,
    port,
    caFile: certificates.caFile,
    jobToken: state.jobToken,
    organizationName: state.organizationName,
    organizationId: state.organizationId,
    devOpsUrl,
    devOpsPort: ports.devops,
    armUrl,
    armPort: ports.arm,
    collectionUri: `${devOpsUrl}/${state.organizationName}/`,
    oidcRequestUri: `${devOpsUrl}${state.oidcPath}`,
    projectId: state.projectId,
    planId: state.planId,
    jobId: state.jobId,
    hubName: state.hubName,
    addConnection: (c) => {
      state.addConnection(c);
    },
    addApp: (a) => {
      state.addApp(a);
    },
    addManagedIdentity: (mi) => {
      state.addManagedIdentity(mi);
    },
    managedIdentityEndpoint: `${url}${MANAGED_IDENTITY_PATH}`,
    identityHeader: state.identityHeader,
    issuerFor: (c) => state.issuerFor(c),
    subjectFor: (c) => state.subjectFor(c),
    verifyAccessToken: (token) => verifyAccessToken(state, token),
    inject: (route, fault) => {
      state.faults.inject(route, fault);
    },
    clearFaults: () => {
      state.faults.clear();
    },
    requests: state.requests,
    issuedOidcTokens: state.issuedOidcTokens,
    issuedAccessTokens: state.issuedAccessTokens,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        let open = servers.length;
        for (const { server } of servers) {
          server.close(() => {
            open -= 1;
            if (open === 0) resolve();
          });
        }
        for (const socket of sockets) socket.destroy();
      }),
  };
}
