// The HTTPS listener every tool server shares: 127.0.0.1 only, an Authorization
// gate in front of every route, a request journal, and a close that leaves no
// sockets behind (so mocha exits on its own).
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { Socket } from 'node:net';
import { listenOnLoopback } from '../fake-cloud/http-util';
import type { AuthKind, Authorize, ToolRequestRecord, ToolServerTls } from './types';

/** One request as a route handler sees it; writeHead/send journal the status before answering. */
export interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly method: string;
  /** Raw path without the query string. */
  readonly path: string;
  /** Raw query string without '?', '' when absent. */
  readonly query: string;
  writeHead(status: number, headers: OutgoingHttpHeaders): void;
  send(status: number, headers: Record<string, string>, body: string | Buffer): void;
}

export interface ToolServerSetup {
  tls: ToolServerTls;
  authorize: Authorize;
  /** What a refused request gets besides 401 and WWW-Authenticate. */
  unauthorized: { contentType: string; body: string };
  handle(exchange: Exchange): Promise<void> | void;
  /** Runs after the listener and its sockets are gone. */
  cleanup?(): Promise<void> | void;
}

export interface RunningToolServer {
  /** 'https://127.0.0.1:<port>' */
  readonly url: string;
  readonly requests: readonly ToolRequestRecord[];
  close(): Promise<void>;
}

export function authKind(authorization: string | undefined): AuthKind {
  if (authorization === undefined || authorization.trim() === '') return 'none';
  const scheme = authorization.trim().split(/\s+/, 1)[0]?.toLowerCase();
  if (scheme === 'bearer') return 'bearer';
  if (scheme === 'basic') return 'basic';
  return 'other';
}

function exchangeFor(req: IncomingMessage, res: ServerResponse, requests: ToolRequestRecord[]): Exchange {
  const raw = req.url ?? '/';
  const mark = raw.indexOf('?');
  const method = req.method ?? 'GET';
  const path = mark < 0 ? raw : raw.slice(0, mark);
  const authorization = authKind(req.headers.authorization);
  let recorded = false;
  const writeHead = (status: number, headers: OutgoingHttpHeaders): void => {
    // Journal before answering, so a client that got the response always finds its record.
    if (!recorded) requests.push({ method, path, status, authorization });
    recorded = true;
    res.writeHead(status, headers);
  };
  return {
    req,
    res,
    method,
    path,
    query: mark < 0 ? '' : raw.slice(mark + 1),
    writeHead,
    send: (status, headers, body) => {
      writeHead(status, { 'Content-Length': String(Buffer.byteLength(body)), ...headers });
      res.end(body);
    },
  };
}

export async function startToolServer(setup: ToolServerSetup): Promise<RunningToolServer> {
  const requests: ToolRequestRecord[] = [];
  const sockets = new Set<Socket>();

  async function serve(exchange: Exchange): Promise<void> {
    try {
      if (!setup.authorize(exchange.req.headers.authorization)) {
        exchange.req.resume(); // drain any upload so the connection stays usable
        exchange.send(
          401,
          { 'WWW-Authenticate': 'Basic realm="fake"', 'Content-Type': setup.unauthorized.contentType },
          setup.unauthorized.body,
        );
        return;
      }
      await setup.handle(exchange);
    } catch (error) {
      if (exchange.res.headersSent) {
        exchange.res.destroy();
      } else {
        exchange.send(500, { 'Content-Type': 'text/plain; charset=utf-8' }, `tool server failure: ${String(error)}\n`);
      }
    }
  }

  const server = createServer({ key: setup.tls.keyPem, cert: setup.tls.certPem }, (req, res) => {
    void serve(exchangeFor(req, res, requests));
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await listenOnLoopback(server, 'tool server');

  return {
    url: `https://127.0.0.1:${port}`,
    requests,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        for (const socket of sockets) socket.destroy();
      });
      await setup.cleanup?.();
    },
  };
}
