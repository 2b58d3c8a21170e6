// The `docker-credential-entratoken` program that docker, skopeo, podman and buildah run for a registry listed under
// `credHelpers`: a two-line script on PATH that hands the call to this bundle, which asks the token service.
import { shellWord } from './export';

/** The suffix in `credHelpers`; clients run `docker-credential-<suffix>`. */
export const DOCKER_HELPER_SUFFIX = 'entratoken';

export interface HelperScript {
  readonly fileName: string;
  readonly content: string;
}

/** cmd expands `%` even inside quotes; Windows paths cannot hold `"`. */
function cmdWord(path: string): string {
  return `"${path.replace(/%/g, '%%')}"`;
}

export function dockerCredentialHelperScript(
  nodePath: string,
  bundlePath: string,
  platform: NodeJS.Platform = process.platform,
): HelperScript {
  const name = `docker-credential-${DOCKER_HELPER_SUFFIX}`;
  // Go's exec finds `<name>.cmd` through PATHEXT, which is how a Windows docker runs helpers.
  if (platform === 'win32')
    return { fileName: `${name}.cmd`, content: `@${cmdWord(nodePath)} ${cmdWord(bundlePath)} --docker-credential %*\r\n` };
  return {
    fileName: name,
    content: `#!/bin/sh\nexec ${shellWord(nodePath, platform)} ${shellWord(bundlePath, platform)} --docker-credential "$@"\n`,
  };
}
