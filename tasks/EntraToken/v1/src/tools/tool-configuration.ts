// What configuring one tool amounts to: variables for later steps, files to write (and delete after the job),
// folders to put on PATH, and the derived forms of the token that must be registered as secrets before either is set.

export interface ToolFile {
  readonly path: string;
  readonly content: string;
  /** A program a later step runs (a credential helper): 0700 instead of 0600. */
  readonly executable?: boolean;
}

export interface ToolConfiguration {
  /** Non-secret on purpose: secret variables never reach a later step's environment. Masking still hides the token. */
  readonly variables: readonly { readonly name: string; readonly value: string }[];
  readonly files: readonly ToolFile[];
  readonly secrets: readonly string[];
  /** Folders prepended to PATH for later steps (task.prependpath). */
  readonly paths?: readonly string[];
}

export function mergeConfigurations(configurations: readonly ToolConfiguration[]): ToolConfiguration {
  return {
    variables: configurations.flatMap((c) => c.variables),
    files: configurations.flatMap((c) => c.files),
    secrets: configurations.flatMap((c) => c.secrets),
    paths: configurations.flatMap((c) => c.paths ?? []),
  };
}

/** The username tools send with the token where they need one; Azure Artifacts accepts any non-empty name. */
export const TOKEN_USER = 'entratoken';
