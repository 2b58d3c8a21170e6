import assert from 'node:assert/strict';
import { mavenSettings } from '../../../../../tasks/EntraToken/v1/src/tools/maven';

const FEED = { serverId: 'contoso', url: 'https://pkgs.example/maven/v1' };

describe('mavenSettings: a <server> per id, merged into existing settings', () => {
  it('writes a fresh settings document when there is none', () => {
    const xml = mavenSettings([FEED], 'tok', undefined);

    assert.match(
      xml,
      /^<\?xml[^>]*\?>\n<settings[^>]*>\n  <servers>\n    <server>\n      <id>contoso<\/id>\n      <username>entratoken<\/username>\n      <password>tok<\/password>/,
    );
  });

  it('keeps mirrors and other servers, and replaces a server with the same id', () => {
    const existing =
      '<settings>\n  <mirrors><mirror><id>m</id></mirror></mirrors>\n  <servers>\n    <server><id>other</id><password>keep</password></server>\n    <server><id>contoso</id><password>old</password></server>\n  </servers>\n</settings>\n';

    const xml = mavenSettings([FEED], 'tok', existing);

    assert.match(xml, /<mirror><id>m<\/id><\/mirror>/);
    assert.match(xml, /<password>keep<\/password>/);
    assert.doesNotMatch(xml, /old/);
    assert.equal(xml.match(/<id>contoso<\/id>/g)?.length, 1);
  });

  it('adds a <servers> block to settings that have none', () => {
    const xml = mavenSettings([FEED], 'tok', '<settings><localRepository>/r</localRepository></settings>');

    assert.match(xml, /<localRepository>\/r<\/localRepository>  <servers>[\s\S]*<id>contoso<\/id>[\s\S]*<\/servers>\n<\/settings>$/);
  });

  it('escapes XML in the id and token', () => {
    assert.match(mavenSettings([{ serverId: 'a', url: FEED.url }], 'x<&y', undefined), /<password>x&lt;&amp;y<\/password>/);
  });
});
