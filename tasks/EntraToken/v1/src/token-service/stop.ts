// Post-job: stops the token service with an authenticated request (no signal, so it works on Windows too) and
// prints what the service answers about itself, from parsed and checked fields only. No file is read: nothing
// another step could write reaches the log. It deletes the federated token file whether or not the service still
// ran. Whatever is missing or broken, it says so in one line, never a trace.
import { request } from 'node:http';
import { connect } from 'node:net';
import { messages } from '../common/messages';
import { SERVICE_TASK_VARIABLE } from './export';
import { numberField, parseJson, stringField } from '../common/json';
import { parseSummary, type ServiceSummary } from './summary';
import { isTokenFilePath, removeTokenFile } from './assertion-file';
import { isAbsolute } from 'node:path';

export interface StopHost {
  getTaskVariable(name: string): string | undefined;
  info(message: string): void;
  warning(message: string): void;
}

interface ServiceRecord {
  readonly url: string;
  readonly pid: number;
  readonly control: string;
  readonly tokenFile: string | undefined;
}

const ANSWER_TIMEOUT_MS = 3_000;
/** How long the service may take to exit once it has answered the stop request. */
const EXIT_WAIT_MS = 3_000;

function parseRecord(raw: string): ServiceRecord | undefined {
  const value = parseJson(raw);
  const url = stringField(value, 'url');
  const pid = numberField(value, 'pid');
  const control = stringField(value, 'control');
  if (url === undefined || pid === undefined || control === undefined || !/^[0-9a-f]{64}$/.test(control)) return undefined;
  // Only ever a file of the service's own name: the post-job step deletes nothing else.
  const file = stringField(value, 'tokenFile');
  const tokenFile = file !== undefined && isAbsolute(file) && isTokenFilePath(file) ? file : undefined;
  // Only ever the loopback service the main step recorded: the control secret goes nowhere else.
  return /^http:\/\/127\.0\.0\.1:\d{1,5}$/.test(url) ? { url, pid, control, tokenFile } : undefined;
}

/** The service's own summary, or undefined when nothing (or something that is not the service) answers. */
function requestShutdown(record: ServiceRecord): Promise<ServiceSummary | undefined> {
  return new Promise((resolve) => {
    const call = request(
      `${record.url}/shutdown`,
      { method: 'POST', headers: { 'X-EntraToken-Control': record.control, 'Content-Length': '0' }, timeout: ANSWER_TIMEOUT_MS },
      (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (chunk: string) => {
          if (body.length < 1_000_000) body += chunk;
        });
        response.on('end', () => {
          resolve(response.statusCode === 200 ? parseSummary(body) : undefined);
        });
        response.on('error', () => {
          resolve(undefined);
        });
      },
    );
    call.on('error', () => {
      resolve(undefined);
    });
    call.on('timeout', () => call.destroy());
    call.end();
  });
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      resolve(false);
    });
  });
}

/** The service exits right after its answer; "stopped" is only said once its port no longer accepts connections. */
async function waitUntilClosed(record: ServiceRecord): Promise<void> {
  const port = Number(new URL(record.url).port);
  for (let waited = 0; waited < EXIT_WAIT_MS && (await listening(port)); waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function describeSummary(summary: ServiceSummary): string[] {
  const lines = summary.scopes.map((scope) => messages.serviceIssued(scope.scope, scope.issued, scope.failed, scope.lastExpiresOn));
  const file = summary.federatedTokenFile;
  if (file !== undefined)
    lines.push(messages.serviceRotated(file.rewrites, file.failed, file.oldestReplacedAgeSeconds, file.oldestReplacedLifetimeSeconds));
  return lines;
}

/** The service deletes its file as it exits; this covers a service that was killed or had already gone. */
function removeFile(host: StopHost, tokenFile: string | undefined): void {
  if (tokenFile === undefined) return;
  try {
    removeTokenFile(tokenFile);
    host.info(messages.tokenFileRemoved());
  } catch (error) {
    host.warning(messages.tokenFileNotRemoved(tokenFile, error instanceof Error ? error.message : String(error)));
  }
}

export async function stopTokenService(host: StopHost): Promise<void> {
  const raw = host.getTaskVariable(SERVICE_TASK_VARIABLE);
  if (raw === undefined || raw === '') return;
  const record = parseRecord(raw);
  if (!record) {
    host.warning(messages.serviceRecordUnreadable());
    return;
  }
  const summary = await requestShutdown(record);
  if (!summary || summary.pid !== record.pid) {
    host.info(messages.serviceAlreadyGone(record.pid));
  } else {
    for (const line of describeSummary(summary)) host.info(line);
    await waitUntilClosed(record);
    host.info(messages.serviceStopped(record.pid));
  }
  removeFile(host, record.tokenFile);
}
