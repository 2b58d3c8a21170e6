// The hand-written archive writers, checked by independent readers (GNU tar, Python's zipfile).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from './crc32';
import { tgz } from './tar';
import { baseEnvironment, runTool, Scratch } from './test-support';
import { authKind } from './tls-server';
import { zip } from './zip';

describe('archive writers', function () {
  const scratch = new Scratch();
  after(function () {
    scratch.remove();
  });

  describe('crc32', function () {
    it('matches the standard check value', function () {
      assert.equal(crc32(Buffer.from('123456789', 'ascii')), 0xcbf43926);
      assert.equal(crc32(Buffer.alloc(0)), 0);
    });
  });

  describe('tgz', function () {
    it('extracts with GNU tar to the same bytes, including a multi-block file', async function () {
      const dir = scratch.dir('tar');
      const big = 'x'.repeat(1500);
      writeFileSync(
        join(dir, 'a.tgz'),
        tgz([
          { path: 'package/a.txt', content: 'a\n' },
          { path: 'package/big.txt', content: big },
        ]),
      );
      const result = await runTool('tar', ['-xzf', 'a.tgz'], { env: baseEnvironment(dir), cwd: dir });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(readFileSync(join(dir, 'package', 'a.txt'), 'utf8'), 'a\n');
      assert.equal(readFileSync(join(dir, 'package', 'big.txt'), 'utf8'), big);
    });
  });

  describe('zip', function () {
    it('passes python zipfile integrity checks and reads back', async function () {
      const dir = scratch.dir('zip');
      writeFileSync(
        join(dir, 'a.zip'),
        zip([
          { path: 'pkg/__init__.py', content: 'X = 1\n' },
          { path: 'b.txt', content: 'héllo\n' },
        ]),
      );
      const script =
        'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(repr(z.read("b.txt").decode()), z.namelist())';
      const result = await runTool('python3', ['-c', script, join(dir, 'a.zip')], { env: process.env });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout.trim(), "'héllo\\n' ['pkg/__init__.py', 'b.txt']");
    });
  });

  describe('authKind', function () {
    it('classifies the Authorization scheme case-insensitively', function () {
      assert.deepEqual([undefined, '', 'Bearer x', 'bearer x', 'Basic eA==', 'BASIC eA==', 'Negotiate x'].map(authKind), [
        'none',
        'none',
        'bearer',
        'bearer',
        'basic',
        'basic',
        'other',
      ]);
    });
  });
});
