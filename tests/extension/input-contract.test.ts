import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT } from '../../scripts/build';
import { readTaskManifest, type TaskManifest } from '../../scripts/manifests';
import { INPUT_DEFAULTS } from '../../tasks/EntraToken/v1/src/inputs';

// task.json is the YAML interface; INPUT_DEFAULTS is what the code reads. Adding an input means adding it to both.
const taskJson = (): TaskManifest => readTaskManifest(join(ROOT, 'tasks', 'EntraToken', 'v1', 'task.json'));
const codeDefaults: Readonly<Record<string, string | undefined>> = INPUT_DEFAULTS;

/** The input each clause of a visibleRule tests, with the value it compares against. */
function ruleClauses(rule: string): { input: string; value: string }[] {
  return rule.split(/&&|\|\|/).map((clause) => {
    const match = /^\s*([A-Za-z][A-Za-z0-9]*)\s*(?:!=|<=|>=|=|<|>|\s(?:Not)?(?:Contains|EndsWith|StartsWith)\s)\s*(.*?)\s*$/.exec(clause);
    assert.ok(match, `cannot read visibleRule clause '${clause}'`);
    return { input: match[1] ?? '', value: match[2] ?? '' };
  });
}

describe('input contract: task.json → code', () => {
  it('every task.json input is read by the code, with the same default', () => {
    const task = taskJson();

    for (const input of task.inputs) {
      assert.ok(Object.hasOwn(codeDefaults, input.name), `task.json input '${input.name}' is missing from INPUT_DEFAULTS`);
      assert.equal(input.defaultValue, codeDefaults[input.name], `default of '${input.name}'`);
    }
  });
});

describe('input contract: code → task.json', () => {
  it('every input the code reads is declared in task.json', () => {
    const declared = new Set(taskJson().inputs.map((input) => input.name));

    const undeclared = Object.keys(codeDefaults).filter((name) => !declared.has(name));

    assert.deepEqual(undeclared, [], 'INPUT_DEFAULTS names inputs that task.json does not declare');
  });
});

describe('input contract: visible rules', () => {
  it('refer to existing inputs, and to existing options of a pick list', () => {
    const task = taskJson();

    for (const input of task.inputs.filter((candidate) => candidate.visibleRule !== undefined)) {
      for (const clause of ruleClauses(input.visibleRule ?? '')) {
        const target = task.inputs.find((candidate) => candidate.name === clause.input);
        assert.ok(target, `visibleRule of '${input.name}' refers to unknown input '${clause.input}'`);
        if (target.type === 'pickList')
          assert.ok(target.options.includes(clause.value), `'${clause.value}' is no option of '${target.name}'`);
      }
    }
  });

  it('hide each connection input unless its connection type is chosen', () => {
    for (const input of taskJson().inputs.filter((candidate) => candidate.type.startsWith('connectedService:'))) {
      assert.match(input.visibleRule ?? '', /\bconnectionType\b/, `connection input '${input.name}' has no visibleRule`);
    }
  });
});
