import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testTempDir } from '../../../../temp';
import { dockerCredentialHelperScript } from '../../../../../tasks/EntraToken/v1/src/token-service/docker-helper-script';

/** Stands in for the bundle: prints the arguments it got and what came on stdin. */
const BUNDLE = `let input = ''; process.stdin.on('data', (c) => (input += c)).on('end', () => process.stdout.write(JSON.stringify({ args: process.argv.slice(2), input })));`;

describe('dockerCredentialHelperScript on Linux and macOS: a sh script that hands over to the bundle', () => {
  for (const name of ['with space', 'dollar $HOME and `id`', "single'quote", 'semi;colon & amp']) {
    it(`runs a bundle in a folder named ${JSON.stringify(name)} with the helper's action and stdin`, () => {
      const folder = join(testTempDir('entra-docker-helper-'), name);
      mkdirSync(folder);
      writeFileSync(join(folder, 'index.js'), BUNDLE);
      const script = dockerCredentialHelperScript(process.execPath, join(folder, 'index.js'), 'linux');
      const path = join(folder, script.fileName);
      writeFileSync(path, script.content, { mode: 0o700 });

      const output: unknown = JSON.parse(execFileSync(path, ['get'], { input: 'contoso.azurecr.io\n', encoding: 'utf8' }));

      assert.equal(script.fileName, 'docker-credential-entratoken');
      assert.deepEqual(output, { args: ['--docker-credential', 'get'], input: 'contoso.azurecr.io\n' });
    });
  }
});

describe('dockerCredentialHelperScript on Windows: a .cmd that PATHEXT finds', () => {
  it('quotes both paths, doubles % for cmd, and passes the arguments on', () => {
    const script = dockerCredentialHelperScript('C:\\Program Files\\nodejs\\node.exe', 'D:\\a\\100%\\_tasks\\index.js', 'win32');

    assert.deepEqual(script, {
      fileName: 'docker-credential-entratoken.cmd',
      content: '@"C:\\Program Files\\nodejs\\node.exe" "D:\\a\\100%%\\_tasks\\index.js" --docker-credential %*\r\n',
    });
  });
});
