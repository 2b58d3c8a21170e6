// Minimal HTTP CONNECT proxy that maps production host names onto the fake
// cloud. It dials only mapped targets or loopback, never the internet.
import { createServer } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { listenOnLoopback } from './http-util';
import type { ConnectProxy, ConnectProxyOptions } from './types';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

interface Target {
  host: string;
  port: number;
}

/** 'host:port' or '[v6]:port' -> parts; undefined when malformed. */
export function parseAuthority(authority: string): Target | undefined {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(authority);
  const host = match?.[1] ?? match?.[2];
  const port = Number(match?.[3]);
  return host === undefined || !(port > 0 && port < 65536) ? undefined : { host: host.toLowerCase(), port };
}

function resolveTarget(authority: string, routes: Map<string, string>): Target | undefined {
  const requested = parseAuthority(authority);
  if (requested === undefined) return undefined;
  const mapped = routes.get(`${requested.host}:${requested.port}`);
  if (mapped !== undefined) return parseAuthority(mapped);
  return LOOPBACK_HOSTS.has(requested.host) ? requested : undefined;
}

function refuse(socket: Duplex, status: string, extraHeaders = '', body = ''): void {
  socket.end(`HTTP/1.1 ${status}\r\n${extraHeaders}Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

export async function startConnectProxy(options: ConnectProxyOptions): Promise<ConnectProxy> {
  const routes = new Map(Object.entries(options.routes).map(([from, to]) => [from.toLowerCase(), to]));
  const expectedAuth =
    options.credentials === undefined
      ? undefined
      : `Basic ${Buffer.from(`${options.credentials.username}:${options.credentials.password}`).toString('base64')}`;
  const tunnels: string[] = [];
  const sockets = new Set<Duplex>();
  const track = (socket: Duplex): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };

  // Anything but CONNECT is refused: the fake is HTTPS-only.
  const server = createServer((_req, res) => {
    res.writeHead(405, { Allow: 'CONNECT', 'Content-Type': 'text/plain' }).end('Only CONNECT is supported');
  });
  server.on('connection', track);
  server.on('connect', (req: IncomingMessage, client: Duplex, head: Buffer) => {
    const authority = req.url ?? '';
    tunnels.push(authority);
    client.on('error', () => client.destroy());
    if (options.refusal !== undefined) {
      refuse(client, options.refusal.status, 'Content-Type: text/plain\r\n', options.refusal.body);
      return;
    }
    if (expectedAuth !== undefined && req.headers['proxy-authorization'] !== expectedAuth) {
      refuse(client, '407 Proxy Authentication Required', 'Proxy-Authenticate: Basic realm="fake-cloud"\r\n');
      return;
    }
    const target = resolveTarget(authority, routes);
    if (target === undefined) {
      refuse(client, '403 Forbidden');
      return;
    }
    const upstream: Socket = connect(target.port, target.host);
    track(upstream);
    let established = false;
    upstream.once('connect', () => {
      established = true;
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => {
      if (established) client.destroy();
      else refuse(client, '502 Bad Gateway');
    });
    client.on('close', () => upstream.destroy());
  });

  const port = await listenOnLoopback(server, 'Proxy');
  return {
    url: `http://127.0.0.1:${port}`,
    tunnels,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        for (const socket of sockets) socket.destroy();
      }),
  };
}
