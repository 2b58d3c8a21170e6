import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../scripts/build';
import { readTaskManifest } from '../../scripts/manifests';
import { assertSecretsOnlyInEnv, assertValidTaskStep, envOf, findSteps, parseYaml, scriptOf, secretVariableOf, taskSteps, type Step } from './pipeline-steps';

const TASK_JSON = join(ROOT, 'tasks', 'EntraToken', 'v1', 'task.json');

describe("azure-pipelines.yml: the extension's own pipeline", () => {
  let steps: Step[];
  before(() => {
    steps = findSteps(parseYaml(readFileSync(join(ROOT, 'azure-pipelines.yml'), 'utf8'), 'azure-pipelines.yml'));
  });

  it('builds, tests and packages with the npm scripts', () => {
    const scripts = steps.flatMap((step) => scriptOf(step) ?? []).join('\n');

    for (const command of ['npm ci', 'npm test', 'npm run package:release', 'npm run package:dev']) {
      assert.ok(scripts.includes(command), `no step runs '${command}'`);
    }
  });

  it('uses the task with inputs that task.json declares', () => {
    const task = readTaskManifest(TASK_JSON);

    const uses = taskSteps(steps, task);

    assert.ok(uses.length > 0, 'the pipeline does not use its own task');
    for (const step of uses) assertValidTaskStep(step, task, 'azure-pipelines.yml');
  });

  it("publishes to the Marketplace with the task's token, mapped through env:", () => {
    const task = readTaskManifest(TASK_JSON);
    const secrets = taskSteps(steps, task).map((step) => secretVariableOf(step, task));
    const publishes = steps.filter((step) => (scriptOf(step) ?? '').includes('tfx extension publish'));

    assert.ok(publishes.length > 0, 'no step publishes the extension');
    for (const step of publishes) {
      const mapped = Object.values(envOf(step)).filter((value) => secrets.some((name) => value === `$(${name})`));
      assert.equal(mapped.length, 1, 'the publish step does not map the task token into its environment');
    }
    assertSecretsOnlyInEnv(steps, secrets, 'azure-pipelines.yml');
  });
});

describe('overview.md and README.md: YAML examples', () => {
  for (const file of ['overview.md', 'README.md']) {
    it(`${file}: every block parses and uses only declared inputs of the task`, () => {
      const task = readTaskManifest(TASK_JSON);
      const blocks = [...readFileSync(join(ROOT, file), 'utf8').matchAll(/^[ \t]*```ya?ml\n([\s\S]*?)^[ \t]*```/gm)].map((match) => match[1] ?? '');

      assert.ok(blocks.length > 0, `${file} has no YAML example`);
      blocks.forEach((block, index) => {
        const where = `${file} YAML block ${index + 1}`;
        const steps = findSteps(parseYaml(block, where));
        const uses = taskSteps(steps, task);
        for (const step of uses) assertValidTaskStep(step, task, where);
        assertSecretsOnlyInEnv(steps, [...uses.map((step) => secretVariableOf(step, task)), 'EntraAccessToken'], where);
      });
    });
  }
});
