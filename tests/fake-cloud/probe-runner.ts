// Runs identity-probe.js in a child process with a controlled environment and
// reads back the token it printed (see identity-probe.ts for the PROBE_* variables).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { parseJsonObject } from './jwt';

export interface ProbeResult {
  code: number;
  stdout: string;
  stderr: string;
}

// Inherited settings that would steer the child's credential elsewhere (proxy, other MI sources, env credentials).
const STRIPPED =
  /^(https?_proxy|no_proxy|identity_endpoint|identity_header|identity_server_thumbprint|imds_endpoint|msi_endpoint|msi_secret|azure_.*)$/i;

export function runProbe(env: Record<string, string>): Promise<ProbeResult> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !STRIPPED.test(name)));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(__dirname, 'identity-probe.js')],
      { env: { ...base, ...env }, timeout: 20000 },
      (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : 1, stdout, stderr });
      },
    );
  });
}

/** The access token a successful probe printed; fails the test with the probe's stderr otherwise. */
export function tokenOf(result: ProbeResult): string {
  const token = parseJsonObject(result.stdout)?.['token'];
  assert.equal(typeof token, 'string', `probe failed: ${result.stderr}`);
  return String(token);
}
