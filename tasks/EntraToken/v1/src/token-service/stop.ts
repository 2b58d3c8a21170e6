// Post-job: stops the token service with an authenticated request (no signal, so it works on Windows too) and
// prints what the service answers about itself, from parsed and checked fields only. No file is read: nothing
// another step could write reaches the log. Whatever is missing or broken, it says so in one line, never a trace.
import { request } from 'node:http';
import { messages } from '../common/messages';
import { SERVICE_TASK_VARIABLE } from './export';
import { numberField, parseJson, stringField } from '../common/json';
import { parseSummary, type ServiceSummary } from './summary';

export interface StopHost {
  getTaskVariable(name: string): string | undefined;
  info(message: string): void;
  warning(message: string): void;
}

interface ServiceRecord {
  readonly url: string;
  readonly pid: number;
  readonly control: string;
}

const ANSWER_TIMEOUT_MS = 3_000;

function parseRecord(raw: string): ServiceRecord | undefined {
  const value = parseJson(raw);
  const url = stringField(value, 'url');
  const pid = numberField(value, 'pid');
  const control = stringField(value, 'control');
  if (url === undefined || pid === undefined || control === undefined || !/^[0-9a-f]{64}$/.test(control)) return undefined;
  // Only ever the loopback service the main step recorded: the control secret goes nowhere else.
  return /^http:\/\/127\.0\.0\.1:\d{1,5}$/.test(url) ? { url, pid, control } : undefined;
}

/** The service's own summary, or undefined when nothing (or something that is not the service) answers. */
function requestShutdown(record: ServiceRecord): Promise<ServiceSummary | undefined> {
  return new Promise((resolve) => {
    const call = request(`${record.url}/shutdown`, { method: 'POST', headers: { 'X-EntraToken-Control': record.control, 'Content-Length': '0' }, timeout: ANSWER_TIMEOUT_MS }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => {
        if (body.length < 1_000_000) body += chunk;
      });
      response.on('end', () => {
        resolve(response.statusCode === 200 ? parseSummary(body) : undefined);
      });
      response.on('error', () => { resolve(undefined); });
    });
    call.on('error', () => { resolve(undefined); });
    call.on('timeout', () => call.destroy());
    call.end();
  });
}

export function describeSummary(summary: ServiceSummary): string[] {
  return summary.scopes.map((scope) =>
    messages.serviceIssued(scope.scope, scope.issued, scope.failed, scope.lastExpiresOn));
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
    return;
  }
  for (const line of describeSummary(summary)) host.info(line);
  host.info(messages.serviceStopped(record.pid));
}
