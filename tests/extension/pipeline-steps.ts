// Reads pipeline YAML (a whole pipeline or a fragment of steps) and checks how it uses the task.
import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { isRecord, type TaskManifest } from '../../scripts/manifests';

export type Step = Readonly<Record<string, unknown>>;

const SCRIPT_KEYS = ['script', 'bash', 'pwsh', 'powershell'];

export function parseYaml(text: string, where: string): unknown {
  const document = parseDocument(text, { uniqueKeys: true });
  assert.deepEqual(document.errors.map((error) => error.message), [], `${where} is not valid YAML`);
  const value: unknown = document.toJS();
  return value;
}

/** Every step at any depth: under `steps:` of stages, jobs and deployment strategies, or a top-level list. */
export function findSteps(node: unknown, isStepList = Array.isArray(node)): Step[] {
  if (Array.isArray(node)) {
    return node.flatMap((item: unknown) => [...(isStepList && isRecord(item) ? [item] : []), ...findSteps(item, false)]);
  }
  if (!isRecord(node)) return [];
  return Object.entries(node).flatMap(([key, value]) => findSteps(value, key === 'steps'));
}

export function scriptOf(step: Step): string | undefined {
  const key = SCRIPT_KEYS.find((candidate) => typeof step[candidate] === 'string');
  const script = key === undefined ? undefined : step[key];
  return typeof script === 'string' ? script : undefined;
}

export function envOf(step: Step): Readonly<Record<string, unknown>> {
  return isRecord(step.env) ? step.env : {};
}

export function taskSteps(steps: readonly Step[], task: TaskManifest): Step[] {
  return steps.filter((step) => typeof step.task === 'string' && step.task.split('@')[0] === task.name);
}

/** The secret variable a task step sets: its variableName input, else the task.json default. */
export function secretVariableOf(step: Step, task: TaskManifest): string {
  const inputs = isRecord(step.inputs) ? step.inputs : {};
  const fallback = task.inputs.find((input) => input.name === 'variableName')?.defaultValue;
  const name = inputs.variableName ?? fallback;
  assert.ok(typeof name === 'string', 'variableName must be a string');
  return name;
}

/** The step names the task's major version and only inputs (or aliases) that task.json declares. */
export function assertValidTaskStep(step: Step, task: TaskManifest, where: string): void {
  assert.equal(step.task, `${task.name}@${task.version.split('.')[0] ?? ''}`, `${where}: task version`);
  assert.ok(isRecord(step.inputs), `${where}: ${task.name} without inputs`);
  const known = new Set(task.inputs.flatMap((input) => [input.name, ...input.aliases]));
  for (const name of Object.keys(step.inputs)) assert.ok(known.has(name), `${where}: unknown input '${name}'`);
}

/** A secret is mapped with env:, never pasted into script text (the agent writes script text to a file). */
export function assertSecretsOnlyInEnv(steps: readonly Step[], secretNames: readonly string[], where: string): void {
  for (const step of steps) {
    const script = scriptOf(step) ?? '';
    for (const name of secretNames) assert.ok(!script.includes(`$(${name})`), `${where}: a script pastes $(${name}); map it with env:`);
  }
}
