import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FILES_TASK_VARIABLE } from '../../../../../tasks/EntraToken/v1/src/tools/apply';
import { removeToolFiles } from '../../../../../tasks/EntraToken/v1/src/tools/cleanup';
import { FakePipeline } from '../fake-pipeline';
import { testTempDir } from '../../../../temp';

describe('removeToolFiles', () => {
  it('deletes recorded files inside Agent.TempDirectory, and their emptied folder, but nothing outside', () => {
    const temp = testTempDir('cleanup-temp-');
    const outside = join(testTempDir('cleanup-outside-'), 'keep.txt');
    mkdirSync(join(temp, 'entratoken-1'));
    const npmrc = join(temp, 'entratoken-1', '.npmrc');
    writeFileSync(npmrc, 'x');
    writeFileSync(outside, 'x');
    const pipeline = new FakePipeline({}, {}, { 'Agent.TempDirectory': temp });
    pipeline.setTaskVariable(FILES_TASK_VARIABLE, JSON.stringify([npmrc, outside]));

    const removed = removeToolFiles(pipeline);

    assert.equal(removed, 1);
    assert.equal(existsSync(join(temp, 'entratoken-1')), false);
    assert.equal(existsSync(outside), true);
    assert.ok(pipeline.log.some((line) => line.startsWith('warning: Not deleting')));
  });
});
