// Post-job: stops the token service (after checking that the process behind the recorded pid is ours) and
// prints its issuance log (scopes and expiries only, never a token) into the pipeline log, then deletes it.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { messages } from '../common/messages';
import { SERVICE_TASK_VARIABLE } from './export';
import { numberField, parseJson, stringField } from '../common/json';

export interface StopHost {
  getTaskVariable(name: string): string | undefined;
  info(message: string): void;
}

interface ServiceRecord {
  readonly health: string;
  readonly pid: number;
  readonly logPath: string;
}

function parseRecord(raw: string | undefined): ServiceRecord | undefined {
  const value = parseJson(raw);
  const health = stringField(value, 'health');
  const pid = numberField(value, 'pid');
  const logPath = stringField(value, 'logPath');
  return health !== undefined && pid !== undefined && logPath !== undefined ? { health, pid, logPath } : undefined;
}

/** The pid the service reports about itself, or undefined when nothing (or something else) answers. */
function healthPid(url: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const request = get(url, { timeout: 3_000 }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        resolve(numberField(parseJson(body), 'pid'));
      });
    });
    request.on('error', () => { resolve(undefined); });
    request.on('timeout', () => request.destroy());
  });
}

export async function stopTokenService(host: StopHost): Promise<void> {
  const record = parseRecord(host.getTaskVariable(SERVICE_TASK_VARIABLE));
  if (!record) return;
  if ((await healthPid(record.health)) === record.pid) {
    process.kill(record.pid, 'SIGTERM');
    for (let waited = 0; waited < 3_000 && (await healthPid(record.health)) !== undefined; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    host.info(messages.serviceStopped(record.pid));
  }
  if (existsSync(record.logPath)) {
    for (const line of readFileSync(record.logPath, 'utf8').split('\n').filter((l) => l !== '')) host.info(`token service: ${line}`);
    rmSync(record.logPath, { force: true });
  }
}
