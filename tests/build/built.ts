// The real build, run once per test process into a temporary directory (the shipped dist/ stays as it is), for
// the tests that check what the trimming rules matched and what the bundle contains.
import { basename, join } from 'node:path';
import { buildBundles } from '../../scripts/build';
import { testTempDir } from '../temp';

let built: ReturnType<typeof buildBundles> | undefined;

export function buildOnce(): ReturnType<typeof buildBundles> {
  built ??= (async () => {
    const directory = testTempDir('build-');
    return buildBundles((bundle) => join(directory, basename(bundle)));
  })();
  return built;
}
