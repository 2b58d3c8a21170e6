// skopeo from Debian is the container client the registry tests run; bash .ci/run installs it.
import { execFileSync } from 'node:child_process';

/** Why skopeo cannot run here, or undefined. */
export function skopeoMissing(): string | undefined {
  try {
    execFileSync('skopeo', ['--version'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'skopeo is not installed (apt-get install skopeo; bash .ci/run installs it)';
  }
}
