// Reads pipeline YAML (a whole pipeline or a fragment of steps) and checks how it uses the task.
import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { isRecord, type TaskManifest } from '../../scripts/manifests';

export type Step = Readonly<Record<string, unknown>>;

const SCRIPT_KEYS = ['script', 'bash', 'pwsh', 'powershell'];

export function parseYaml(text: string, where: string): unknown {
  const document = parseDocument(text, { uniqueKeys: true });
  assert.deepEqual(
    document.errors.map((error) => error.message),
    [],
    `${where} is not valid YAML`,
  );
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

/** Whether a visibleRule of plain `input = value` clauses joined by && or || holds for these values. */
function ruleHolds(rule: string, value: (name: string) => string): boolean {
  const clause = (text: string): boolean => {
    const match = /^\s*([A-Za-z][A-Za-z0-9]*)\s*(!=|=)\s*"?(.*?)"?\s*$/.exec(text);
    assert.ok(match, `the YAML check cannot read visibleRule clause '${text}'`);
    const equal = value(match[1] ?? '').toLowerCase() === (match[3] ?? '').toLowerCase();
    return match[2] === '=' ? equal : !equal;
  };
  return rule.includes('||') ? rule.split('||').some(clause) : rule.split('&&').every(clause);
}

/**
 * The step names the task's major version and only inputs (or aliases) that task.json declares, each once, with a
 * value the input accepts: a pick list's option (unless it is editable) or a boolean. Every required input the
 * designer would show for these values is given.
 */
export function assertValidTaskStep(step: Step, task: TaskManifest, where: string): void {
  assert.equal(step.task, `${task.name}@${task.version.split('.')[0] ?? ''}`, `${where}: task version`);
  assert.ok(isRecord(step.inputs), `${where}: ${task.name} without inputs`);
  const byName = new Map(task.inputs.flatMap((input) => [input.name, ...input.aliases].map((name) => [name, input] as const)));
  const given = new Map<string, string>();
  for (const [name, raw] of Object.entries(step.inputs)) {
    const input = byName.get(name);
    assert.ok(input, `${where}: unknown input '${name}'`);
    assert.ok(!given.has(input.name), `${where}: input '${input.name}' is given twice (by its name and an alias)`);
    const value = typeof raw === 'string' ? raw : typeof raw === 'boolean' || typeof raw === 'number' ? String(raw) : undefined;
    assert.ok(value !== undefined, `${where}: input '${name}' is not a scalar`);
    given.set(input.name, value);
    const expression = value.includes('$(') || value.includes('${{');
    if (input.type === 'boolean' && !expression)
      assert.match(value, /^(true|false)$/i, `${where}: input '${name}' is boolean, not '${value}'`);
    if (input.type === 'pickList' && !input.editableOptions && !expression) {
      assert.ok(
        input.options.some((option) => option.toLowerCase() === value.toLowerCase()),
        `${where}: '${value}' is no option of input '${name}' (${input.options.join(', ')})`,
      );
    }
  }
  const valueOf = (name: string): string => given.get(name) ?? String(task.inputs.find((input) => input.name === name)?.defaultValue ?? '');
  for (const input of task.inputs.filter((candidate) => candidate.required && candidate.defaultValue === undefined)) {
    const shown = input.visibleRule === undefined || ruleHolds(input.visibleRule, valueOf);
    if (shown) assert.ok(given.has(input.name), `${where}: required input '${[input.name, ...input.aliases].join("' / '")}' is missing`);
  }
}

/** A secret is mapped with env:, never pasted into script text (the agent writes script text to a file). */
export function assertSecretsOnlyInEnv(steps: readonly Step[], secretNames: readonly string[], where: string): void {
  for (const step of steps) {
    const script = scriptOf(step) ?? '';
    for (const name of secretNames) assert.ok(!script.includes(`$(${name})`), `${where}: a script pastes $(${name}); map it with env:`);
  }
}
