// Later steps that use the exported identity with the real clients: @azure/identity in a Node child process, and
// Debian's Python azure-identity (python3-azure), given only the variables a step would see.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { field, parseJson } from '../../tasks/EntraToken/v1/src/common/json';
import { runTool } from './tool-env';

const NODE_PROBE = join(__dirname, 'mi-probe.js');
/** Debian's own interpreter: python3-azure is installed for it, not for any other python3 on PATH. */
export const DEBIAN_PYTHON = '/usr/bin/python3';

export type NodeCredential = 'managed' | 'workload' | 'default';
export type PythonCredential = 'managed' | 'workload';

export interface ClientAnswer {
  readonly token?: string;
  /** Why the client could not be tried here (not a failure). */
  readonly skip?: string;
  readonly output: string;
}

function answer(code: number, output: string): ClientAnswer {
  const lastLine = output.trim().split('\n').pop() ?? '';
  const parsed = parseJson(lastLine);
  const token = field(parsed, 'token');
  const skip = field(parsed, 'skip');
  if (code === 0 && typeof skip === 'string') return { skip, output };
  return code === 0 && typeof token === 'string' ? { token, output } : { output };
}

export async function nodeClientToken(
  kind: NodeCredential,
  scope: string,
  env: Record<string, string>,
  cwd: string,
): Promise<ClientAnswer> {
  const result = await runTool(process.execPath, [NODE_PROBE, scope, kind], env, cwd);
  return answer(result.code, result.output);
}

const PYTHON_PROBE = `
import json, sys
kind, scope = sys.argv[1], sys.argv[2]
try:
    import azure.identity as identity
    from azure.identity._version import VERSION
except ImportError as error:
    print(json.dumps({"skip": "Debian's python3-azure is not installed (%s): apt-get install python3-azure" % error}))
    sys.exit(0)
if kind == "workload" and not hasattr(identity, "WorkloadIdentityCredential"):
    print(json.dumps({"skip": "azure-identity %s from Debian has no WorkloadIdentityCredential (later 1.13 releases add it)" % VERSION}))
    sys.exit(0)
credential = identity.WorkloadIdentityCredential() if kind == "workload" else identity.ManagedIdentityCredential()
print(json.dumps({"token": credential.get_token(scope).token, "version": VERSION}))
`;

export async function pythonClientToken(
  kind: PythonCredential,
  scope: string,
  env: Record<string, string>,
  cwd: string,
): Promise<ClientAnswer> {
  if (!existsSync(DEBIAN_PYTHON)) return { skip: `${DEBIAN_PYTHON} is missing: apt-get install python3-azure`, output: '' };
  const result = await runTool(DEBIAN_PYTHON, ['-c', PYTHON_PROBE, kind, scope], env, cwd);
  return answer(result.code, result.output);
}

/** The environment without the named variables: what a step sees that maps only some of them. */
export function without(env: Record<string, string>, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !names.includes(name)));
}

export const APP_SERVICE_VARIABLES = ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER'] as const;
export const LEGACY_APP_SERVICE_VARIABLES = ['MSI_ENDPOINT', 'MSI_SECRET'] as const;
export const WORKLOAD_IDENTITY_VARIABLES = [
  'AZURE_CLIENT_ID',
  'AZURE_TENANT_ID',
  'AZURE_AUTHORITY_HOST',
  'AZURE_FEDERATED_TOKEN_FILE',
] as const;
