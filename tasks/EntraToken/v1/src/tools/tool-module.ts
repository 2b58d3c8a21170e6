// What one tool adapter is: the inputs it claims, how it reads them, which token it needs, and what it sets up.
// The registry (registry.ts) lists every module; apply.ts, targets.ts and cleanup.ts only ever go through it.
import type { INPUT_DEFAULTS } from '../inputs';
import type { HttpSender } from '../http/sender';
import type { SecretRegistry } from '../common/secrets';
import type { ToolConfiguration } from './tool-configuration';

export type ToolInput = keyof typeof INPUT_DEFAULTS;

/** `docker-credential-<suffix>`, written as `script` into a folder on PATH. */
export interface DockerCredentialHelper {
  readonly suffix: string;
  readonly script: { readonly fileName: string; readonly content: string };
}

/** The helpers that ask the token service: git's command, and docker's program. */
export interface CredentialHelpers {
  readonly git: string;
  readonly docker: DockerCredentialHelper;
}

/** A `name=URL` line; the name is undefined on a plain URL line where the input allows one. */
export interface NamedUrl {
  readonly name: string | undefined;
  readonly url: string;
}

/** Reads tool inputs; every URL line goes through the one validation in targets.ts. */
export interface ToolReader {
  urls(input: ToolInput): string[];
  /** `name=URL` lines; `nameRule` says what a name may be; `nameRequired` refuses plain URL lines. */
  namedUrls(input: ToolInput, nameRule: RegExp, nameRequired: boolean): NamedUrl[];
  variableNames(input: ToolInput): string[];
  /** Host names (with an optional port), one per line, checked as https://<host>/ by the same rule as URLs. */
  hosts(input: ToolInput): string[];
  flag(input: ToolInput): boolean;
}

/** What a module gets when it plans: its token, and read access to what earlier steps set. */
export interface ToolContext {
  readonly token: string;
  getSensitiveVariable(name: string): string | undefined;
  readOptionalFile(path: string | undefined): string | undefined;
  /** A fresh 0700 directory under Agent.TempDirectory, made on first call. */
  directory(): string;
  /** The git credential helper command when the token service runs. */
  readonly gitCredentialHelper: string | undefined;
  /** The docker credential helper when the token service runs. */
  readonly dockerCredentialHelper: DockerCredentialHelper | undefined;
  /** For a tool whose token must first be exchanged with its service (ACR). */
  readonly send: HttpSender;
  readonly secrets: SecretRegistry;
  readonly tenantId: string;
}

export interface ToolModule<Targets> {
  /** Shown in the log, e.g. 'npm'. */
  readonly name: string;
  readonly inputs: readonly ToolInput[];
  /** The scope of the token the tool needs; undefined means the task's main scope. */
  readonly scope: string | undefined;
  parse(reader: ToolReader): Targets;
  isEmpty(targets: Targets): boolean;
  plan(targets: Targets, context: ToolContext): ToolConfiguration | Promise<ToolConfiguration>;
  /** The variable names to report as configured (never values). */
  configured(targets: Targets, configuration: ToolConfiguration): string[];
}

export const NOTHING: ToolConfiguration = { variables: [], files: [], secrets: [] };

export function variableNames(configuration: ToolConfiguration): string[] {
  return configuration.variables.map((variable) => variable.name);
}
