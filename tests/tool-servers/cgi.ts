// Runs one request through `git http-backend` (CGI): request headers become
// environment variables, the body streams to stdin, and the CGI answer
// ("Status:" plus headers, blank line, body) streams back.
import { spawn } from 'node:child_process';
import type { OutgoingHttpHeaders } from 'node:http';
import type { Exchange } from './tls-server';

const MAX_HEADER_BYTES = 64 * 1024;
const MAX_STDERR_BYTES = 16 * 1024;

export interface CgiRun {
  /** Settles once the child has exited and the answer is written. */
  done: Promise<void>;
  kill(): void;
}

interface CgiHead {
  status: number;
  headers: OutgoingHttpHeaders;
  rest: Buffer;
}

function parseHead(buffer: Buffer): CgiHead | undefined {
  const text = buffer.toString('latin1');
  const crlf = text.indexOf('\r\n\r\n');
  const lf = text.indexOf('\n\n');
  const end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf + 4 : lf >= 0 ? lf + 2 : -1;
  if (end < 0) return undefined;
  const headers: OutgoingHttpHeaders = {};
  let status = 200;
  for (const line of text.slice(0, end).split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 500;
    else headers[name] = value;
  }
  return { status, headers, rest: buffer.subarray(end) };
}

function header(exchange: Exchange, name: string): string | undefined {
  const value = exchange.req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function runCgi(program: string, exchange: Exchange, env: NodeJS.ProcessEnv): CgiRun {
  const cgiEnv: NodeJS.ProcessEnv = {
    ...env,
    GATEWAY_INTERFACE: 'CGI/1.1',
    SERVER_PROTOCOL: 'HTTP/1.1',
    REQUEST_METHOD: exchange.method,
    QUERY_STRING: exchange.query,
    REMOTE_ADDR: '127.0.0.1',
  };
  const optional: [string, string | undefined][] = [
    ['CONTENT_TYPE', header(exchange, 'content-type')],
    // Absent for chunked uploads; http-backend then reads to EOF.
    ['CONTENT_LENGTH', header(exchange, 'content-length')],
    // http-backend inflates gzip request bodies itself when told.
    ['HTTP_CONTENT_ENCODING', header(exchange, 'content-encoding')],
    // Carries "version=2"; without it the backend falls back to protocol v0.
    ['HTTP_GIT_PROTOCOL', header(exchange, 'git-protocol')],
  ];
  for (const [name, value] of optional) if (value !== undefined) cgiEnv[name] = value;

  const child = spawn(program, [], { env: cgiEnv, stdio: ['pipe', 'pipe', 'pipe'] });
  const { res } = exchange;
  let head: Buffer = Buffer.alloc(0);
  let started = false;
  let stderr = '';

  child.stdin.on('error', () => {
    /* the backend may exit before reading all input */
  });
  exchange.req.pipe(child.stdin);
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < MAX_STDERR_BYTES) stderr += chunk.toString('utf8');
  });
  child.stdout.on('data', (chunk: Buffer) => {
    if (started) {
      // Respect backpressure: pause the backend while the client catches up.
      if (!res.write(chunk)) {
        child.stdout.pause();
        res.once('drain', () => child.stdout.resume());
      }
      return;
    }
    head = Buffer.concat([head, chunk]);
    const parsed = parseHead(head);
    if (parsed === undefined) {
      if (head.length > MAX_HEADER_BYTES) child.kill('SIGKILL');
      return;
    }
    started = true;
    exchange.writeHead(parsed.status, parsed.headers);
    res.write(parsed.rest);
  });
  // A client that hangs up mid-answer should not leave the backend running.
  res.on('close', () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  const done = new Promise<void>((resolve) => {
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      if (started) res.end();
      else if (!res.headersSent)
        exchange.send(502, { 'Content-Type': 'text/plain; charset=utf-8' }, `CGI program gave no answer: ${stderr}\n`);
      resolve();
    };
    // 'error' alone when the program cannot start at all.
    child.on('error', (error) => {
      stderr += String(error);
      finish();
    });
    child.on('close', finish);
  });
  return { done, kill: () => child.kill('SIGKILL') };
}
