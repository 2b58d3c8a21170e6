import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT } from '../../../../../scripts/build';
import { readTaskManifest } from '../../../../../scripts/manifests';
import { INPUT_DEFAULTS } from '../../../../../tasks/EntraToken/v1/src/inputs';
import { TOOL_MODULES } from '../../../../../tasks/EntraToken/v1/src/tools/registry';

const toolInputs = () =>
  readTaskManifest(join(ROOT, 'tasks', 'EntraToken', 'v1', 'task.json')).inputs.filter((input) => input.groupName === 'tools');

describe('tool registry: every tool input is wired to exactly one module', () => {
  it('claims each input of the tools group in task.json exactly once', () => {
    const claims = TOOL_MODULES.flatMap((module) => module.inputs.map((input) => ({ input, module: module.name })));

    for (const input of toolInputs()) {
      const owners = claims.filter((claim) => claim.input === input.name).map((claim) => claim.module);
      assert.equal(owners.length, 1, `task.json input '${input.name}' is claimed by [${owners.join(', ')}]`);
    }
  });

  it('declares only inputs that task.json (tools group) and INPUT_DEFAULTS both have', () => {
    const declared = new Set(toolInputs().map((input) => input.name));

    for (const module of TOOL_MODULES) {
      for (const input of module.inputs) {
        assert.ok(declared.has(input), `module ${module.name} reads '${input}', which is not in the tools group of task.json`);
        assert.ok(Object.hasOwn(INPUT_DEFAULTS, input), `module ${module.name} reads '${input}', which INPUT_DEFAULTS lacks`);
      }
    }
  });
});
