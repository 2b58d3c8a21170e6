// task-lib needs one function of semver 5: lt(), to compare Node's version (as it loads) and the agent's (in
// assertAgent) with a minimum. This is lt() with SemVer 2.0 precedence in a few lines, instead of 18 KiB of semver.
import type { Plugin } from 'esbuild';
import type { Rule, RuleLedger } from './rules';

export const SEMVER_LT = `"use strict";
const VERSION = /^v?(\\d+)\\.(\\d+)\\.(\\d+)(?:-([0-9A-Za-z.-]+))?(?:\\+[0-9A-Za-z.-]+)?$/;
function parse(version) {
  const match = VERSION.exec(String(version).trim());
  if (match === null) throw new TypeError("Invalid Version: " + version);
  return { core: [Number(match[1]), Number(match[2]), Number(match[3])], pre: match[4] === undefined ? [] : match[4].split(".") };
}
// A release ranks above its prereleases; numeric identifiers compare as numbers and rank below alphanumeric ones.
function comparePrerelease(a, b) {
  if (a.length === 0 || b.length === 0) return b.length - a.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] === undefined) return -1;
    if (b[i] === undefined) return 1;
    if (a[i] === b[i]) continue;
    const numeric = [/^\\d+$/.test(a[i]), /^\\d+$/.test(b[i])];
    if (numeric[0] && numeric[1]) return Number(a[i]) - Number(b[i]);
    if (numeric[0] !== numeric[1]) return numeric[0] ? -1 : 1;
    return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}
exports.lt = function lt(a, b) {
  const x = parse(a), y = parse(b);
  for (let i = 0; i < 3; i++) if (x.core[i] !== y.core[i]) return x.core[i] < y.core[i];
  return comparePrerelease(x.pre, y.pre) < 0;
};
`;

export const TASK_LIB_SEMVER: Rule = {
  rule: "task-lib's semver replaced by lt()",
  package: 'azure-pipelines-task-lib',
  versions: '5.281.0',
};

export function taskLibSemver(importer: RegExp, ledger: RuleLedger): Plugin {
  return {
    name: 'task-lib-semver',
    setup(plugin) {
      plugin.onResolve({ filter: /^semver$/ }, (args) => {
        if (!importer.test(args.importer)) return undefined;
        ledger.record(TASK_LIB_SEMVER, args.importer);
        return { path: 'semver-lt', namespace: 'task-lib-semver' };
      });
      plugin.onLoad({ filter: /.*/, namespace: 'task-lib-semver' }, () => ({ contents: SEMVER_LT, loader: 'js' }));
    },
  };
}
