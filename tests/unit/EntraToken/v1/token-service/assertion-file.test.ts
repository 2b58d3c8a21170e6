import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { testTempDir } from '../../../../temp';
import { isTokenFilePath, tokenFileName, writeTokenFile } from '../../../../../tasks/EntraToken/v1/src/token-service/assertion-file';

describe('writeTokenFile: replacing the federated token file', () => {
  it('replaces the content whole, leaves no partial file, and keeps mode 0600 where modes exist', async () => {
    const directory = testTempDir('entra-token-file-');
    const file = join(directory, tokenFileName());

    await writeTokenFile(file, 'first');
    await writeTokenFile(file, 'second');

    assert.equal(readFileSync(file, 'utf8'), 'second');
    assert.deepEqual(readdirSync(directory), [file.slice(directory.length + 1)]);
    if (process.platform !== 'win32') assert.equal(statSync(file).mode & 0o777, 0o600);
  });
});

describe('isTokenFilePath: what the post-job step may delete', () => {
  it('accepts only names the service makes', () => {
    assert.equal(isTokenFilePath(join('/tmp', tokenFileName())), true);
    assert.equal(isTokenFilePath('/tmp/entratoken-federated-0123.jwt'), false);
    assert.equal(isTokenFilePath('/home/me/.ssh/id_rsa'), false);
  });
});
