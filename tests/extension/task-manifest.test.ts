import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Ajv from 'ajv-draft-04';
import { ROOT } from '../../scripts/build';
import { readJsonObject, readTaskManifest, taskManifestPaths, type TaskManifest } from '../../scripts/manifests';
import { pngSize } from './png';

// The official schema lives outside the repository (read-only reference material next to it).
const SCHEMA = join(ROOT, '..', 'shared', 'reference', 'tasks.schema.json');
const NODE20_AGENT = [3, 232, 1];

function versionAtLeast(version: string, minimum: readonly number[]): boolean {
  const parts = version.split('.').map(Number);
  for (const [index, wanted] of minimum.entries()) {
    const part = parts[index] ?? 0;
    if (part !== wanted) return part > wanted;
  }
  return true;
}

for (const path of taskManifestPaths()) {
  const label = path.slice(ROOT.length + 1);

  describe(`${label}: the official schema`, () => {
    it('validates', () => {
      assert.ok(existsSync(SCHEMA), `the official schema is missing: expected it at ${SCHEMA}`);
      // The official schema types defaultValue as a union, and its pattern '^connectedService\:.+$' escapes ':',
      // which JavaScript refuses in unicode regular expressions.
      const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, unicodeRegExp: false });
      const validate = ajv.compile(readJsonObject(SCHEMA));

      const valid = validate(readJsonObject(path));

      assert.ok(valid, JSON.stringify(validate.errors, null, 2));
    });
  });

  describe(`${label}: the classic designer`, () => {
    let task: TaskManifest;
    let raw: Record<string, unknown>;
    before(() => {
      task = readTaskManifest(path);
      raw = readJsonObject(path);
    });

    it('has a friendly name tfx accepts (at most 40 characters)', () => {
      assert.ok(task.friendlyName.length <= 40, `${task.friendlyName.length} characters`);
    });

    it('gives every input help and a group that exists', () => {
      for (const input of task.inputs) {
        assert.ok((input.helpMarkDown ?? '').trim() !== '', `input '${input.name}' has no helpMarkDown`);
        assert.ok(input.groupName !== undefined && task.groups.includes(input.groupName), `input '${input.name}' is in no known group`);
      }
    });

    it('offers the connection, output, tools, token service and advanced groups', () => {
      assert.deepEqual([...task.groups], ['connection', 'output', 'tools', 'tokenService', 'advanced']);
    });

    it('names only its own inputs in the display name', () => {
      const names = [...task.instanceNameFormat.matchAll(/\$\(([^)]+)\)/g)].map((match) => match[1]);
      assert.ok(names.length > 0);
      for (const name of names)
        assert.ok(
          task.inputs.some((input) => input.name === name),
          `instanceNameFormat names '${name}'`,
        );
    });

    it('asks for an agent that has the Node20_1 handler when it uses it', () => {
      const execution = raw.execution;
      const usesNode20 = typeof execution === 'object' && execution !== null && 'Node20_1' in execution;
      const minimum = typeof raw.minimumAgentVersion === 'string' ? raw.minimumAgentVersion : '0';

      assert.ok(!usesNode20 || versionAtLeast(minimum, NODE20_AGENT), `minimumAgentVersion ${minimum} < ${NODE20_AGENT.join('.')}`);
    });

    it('ships a 32×32 PNG icon next to task.json', () => {
      assert.deepEqual(pngSize(join(dirname(path), 'icon.png')), { width: 32, height: 32 });
    });
  });
}
