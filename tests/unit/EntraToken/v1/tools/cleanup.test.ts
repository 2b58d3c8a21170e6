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

  it('reports what it removed, and says nothing when there was nothing to remove', () => {
    const temp = testTempDir('cleanup-none-');
    const npmrc = join(temp, '.npmrc');
    writeFileSync(npmrc, 'x');
    const withFile = new FakePipeline({}, {}, { 'Agent.TempDirectory': temp });
    withFile.setTaskVariable(FILES_TASK_VARIABLE, JSON.stringify([npmrc]));
    const withoutFiles = new FakePipeline({}, {}, { 'Agent.TempDirectory': temp });

    removeToolFiles(withFile);
    const removed = removeToolFiles(withoutFiles);

    assert.equal(removed, 0);
    assert.ok(
      withFile.log.some((line) => line.includes('removed 1 file it wrote')),
      withFile.log.join('\n'),
    );
    assert.deepEqual(withoutFiles.log, []);
  });
});
