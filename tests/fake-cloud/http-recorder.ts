// A plain-HTTP loopback server that records every request and answers what the test says. It stands in for a
// managed identity endpoint (MSI_ENDPOINT, IDENTITY_ENDPOINT) or, as HTTP_PROXY, for the route to IMDS, to
// record what a client sends there. It never forwards anything to the network.
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import { jsonReply, listenOnLoopback, readBody } from './http-util';
import type { Reply } from './http-util';

export interface RecordedRequest {
  method: string;
  /** As sent: a path, or an absolute URL when the client took this server for its proxy. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface HttpRecorder {
  /** 'http://127.0.0.1:<port>' */
  readonly url: string;
  readonly requests: readonly RecordedRequest[];
  close(): Promise<void>;
}

export type Responder = (request: RecordedRequest) => Reply | Promise<Reply>;

/** Default answer: 400, which msrestazure and IMDS clients take as final (no retries). */
const refuse: Responder = () => jsonReply(400, { error: 'invalid_request', error_description: 'Recorder: no token here.' });

export async function startHttpRecorder(respond: Responder = refuse): Promise<HttpRecorder> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    void (async () => {
      const request: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: await readBody(req) };
      requests.push(request);
      let reply: Reply;
      try {
        reply = await respond(request);
      } catch (error) {
        reply = jsonReply(500, { error: 'recorder_failure', message: error instanceof Error ? error.message : 'unknown' });
      }
      res.writeHead(reply.status, { 'Content-Length': String(Buffer.byteLength(reply.body)), ...reply.headers });
      res.end(reply.body);
    })();
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await listenOnLoopback(server, 'HTTP recorder');
  return {
    url: `http://127.0.0.1:${String(port)}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        for (const socket of sockets) socket.destroy();
      }),
  };
}
