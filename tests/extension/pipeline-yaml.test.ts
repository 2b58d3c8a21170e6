import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../scripts/build';
import { readTaskManifest } from '../../scripts/manifests';
import {
  assertSecretsOnlyInEnv,
  assertValidTaskStep,
  envOf,
  findSteps,
  parseYaml,
  scriptOf,
  secretVariableOf,
  taskSteps,
  type Step,
} from './pipeline-steps';

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
      const blocks = [...readFileSync(join(ROOT, file), 'utf8').matchAll(/^[ \t]*```ya?ml\n([\s\S]*?)^[ \t]*```/gm)].map(
        (match) => match[1] ?? '',
      );

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

describe('the YAML example check itself', () => {
  const task = () => readTaskManifest(TASK_JSON);
  const step = (inputs: Record<string, unknown>): Step => ({ task: 'EntraToken@1', inputs });
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['an input task.json does not declare', { azureDevOpsServiceConnection: 'c', audience: 'x' }, /unknown input 'audience'/],
    [
      'a connection type that is no option',
      { connectionType: 'github', azureDevOpsServiceConnection: 'c' },
      /'github' is no option of input 'connectionType'/,
    ],
    ['a boolean that is not one', { azureDevOpsServiceConnection: 'c', verifyAccess: 'yes' }, /input 'verifyAccess' is boolean, not 'yes'/],
    [
      'the ARM connection by its name and its alias',
      { connectionType: 'azureRM', azureSubscription: 'a', connectedServiceNameARM: 'a' },
      /'connectedServiceNameARM' is given twice/,
    ],
    [
      'no connection for the connection type',
      { connectionType: 'azureRM', azureDevOpsServiceConnection: 'c' },
      /required input 'connectedServiceNameARM' \/ 'azureSubscription' is missing/,
    ],
    ['no connection at all', { scope: 'https://graph.microsoft.com' }, /required input 'azureDevOpsServiceConnection' is missing/],
  ];
  for (const [name, inputs, expected] of cases) {
    it(`refuses ${name}`, () => {
      assert.throws(() => {
        assertValidTaskStep(step(inputs), task(), 'test');
      }, expected);
    });
  }

  it('accepts the alias azureSubscription, any scope (an editable pick list) and pipeline expressions', () => {
    assert.doesNotThrow(() => {
      assertValidTaskStep(
        step({ connectionType: 'azureRM', azureSubscription: 'a', scope: 'api://my-api', verifyAccess: '$(verify)' }),
        task(),
        'test',
      );
    });
  });
});
