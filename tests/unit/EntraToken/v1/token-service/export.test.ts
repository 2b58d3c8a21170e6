import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testTempDir } from '../../../../temp';
import { gitCredentialHelper, shellWord } from '../../../../../tasks/EntraToken/v1/src/token-service/export';

/** Stands in for the bundle: answers `--git-credential get` like the real helper, with a password naming its path. */
const HELPER_SCRIPT = `if (process.argv[2] === '--git-credential' && process.argv[3] === 'get') process.stdout.write('username=u\\npassword=from-' + require('path').basename(__dirname) + '\\n');`;

function credentialFill(helper: string): string {
  return execFileSync('git', ['-c', `credential.helper=${helper}`, 'credential', 'fill'], {
    input: 'protocol=https\nhost=dev.azure.com\n\n',
    env: { PATH: process.env.PATH ?? '', HOME: testTempDir('entra-git-home-'), GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' },
    encoding: 'utf8',
  });
}

describe('gitCredentialHelper: quoting for the sh that git runs helpers through', () => {
  const names = [
    'with space',
    'dollar $HOME and ${PATH}',
    'back`id`tick',
    "single'quote",
    'double"quote',
    'semi;colon & amp | pipe',
    'star * ? [x]',
  ];
  for (const name of names) {
    it(`runs a bundle in a folder named ${JSON.stringify(name)}`, () => {
      const folder = join(testTempDir('entra-quote-'), name);
      mkdirSync(folder);
      writeFileSync(join(folder, 'index.js'), HELPER_SCRIPT);

      const output = credentialFill(gitCredentialHelper(process.execPath, join(folder, 'index.js'), 'linux'));

      assert.match(output, new RegExp(`^password=from-${name.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}$`, 'm'));
    });
  }

  it('keeps a word intact through sh -c, whatever it holds', () => {
    const word = `a b $x \`y\` 'z' "w" \\ ; & | * ~`;

    const echoed = execFileSync('sh', ['-c', `printf %s ${shellWord(word, 'linux')}`], { encoding: 'utf8' });

    assert.equal(echoed, word);
  });

  it('gives Windows paths forward slashes, and UNC paths the //server/share form', () => {
    assert.equal(shellWord('C:\\Program Files\\nodejs\\node.exe', 'win32'), "'C:/Program Files/nodejs/node.exe'");
    assert.equal(
      shellWord('\\\\build-server\\agents\\_work\\_tasks\\Entra Token\\index.js', 'win32'),
      "'//build-server/agents/_work/_tasks/Entra Token/index.js'",
    );
    assert.equal(gitCredentialHelper('C:\\node.exe', 'D:\\a b\\index.js', 'win32'), "!'C:/node.exe' 'D:/a b/index.js' --git-credential");
  });

  it('leaves backslashes alone where they are part of a POSIX file name', () => {
    assert.equal(shellWord('/opt/odd\\name', 'linux'), "'/opt/odd\\name'");
  });
});
