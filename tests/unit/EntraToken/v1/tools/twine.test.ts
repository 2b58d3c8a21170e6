import assert from 'node:assert/strict';
import { configureTwine, sectionNames } from '../../../../../tasks/EntraToken/v1/src/tools/twine';

const A = 'https://pkgs.dev.azure.com/contoso/_packaging/feed-a/pypi/upload/';
const B = 'https://pkgs.dev.azure.com/contoso/p/_packaging/feed-b/pypi/upload/';

describe('configureTwine: variables for one URL, a .pypirc for several', () => {
  it('exports TWINE_REPOSITORY_URL, TWINE_USERNAME and TWINE_PASSWORD for one URL, writing no file', () => {
    const config = configureTwine([A], 'tok', () => assert.fail('no directory needed'));

    assert.deepEqual(config.variables, [
      { name: 'TWINE_REPOSITORY_URL', value: A },
      { name: 'TWINE_USERNAME', value: 'entratoken' },
      { name: 'TWINE_PASSWORD', value: 'tok' },
    ]);
    assert.deepEqual(config.files, []);
  });

  it('writes a .pypirc with one section per feed for several URLs', () => {
    const config = configureTwine([A, B], 'tok', () => '/tmp/d');

    const [file] = config.files;
    assert.ok(file);
    assert.equal(file.path, '/tmp/d/.pypirc');
    assert.match(file.content, /index-servers =\n    feed-a\n    feed-b\n/);
    assert.match(
      file.content,
      /\[feed-b\]\nrepository = https:\/\/pkgs\.dev\.azure\.com\/contoso\/p\/_packaging\/feed-b\/pypi\/upload\/\nusername = entratoken\npassword = tok\n/,
    );
    assert.deepEqual(
      config.variables.map((v) => v.name),
      ['ENTRATOKEN_PYPIRC', 'TWINE_USERNAME', 'TWINE_PASSWORD'],
    );
  });

  it('names sections after the host when there is no feed, unique within the file', () => {
    assert.deepEqual(sectionNames(['https://up.example/a/', 'https://up.example/b/', A]), ['up.example', 'up.example-2', 'feed-a']);
  });
});
