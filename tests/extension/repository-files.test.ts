import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../scripts/build';
import { isRecord, readJsonObject, stringField } from '../../scripts/manifests';
import { parseYaml } from './pipeline-steps';

const manifest = readJsonObject(join(ROOT, 'vss-extension.json'));
const packageJson = readJsonObject(join(ROOT, 'package.json'));
const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');

function repositoryUrl(): string {
  assert.ok(isRecord(manifest.repository), 'vss-extension.json has no repository');
  return stringField(manifest.repository, 'uri', 'repository');
}

describe('vss-extension.json: links a reviewer follows', () => {
  for (const link of ['license', 'repository', 'support', 'getstarted']) {
    it(`links '${link}' to the repository, over https`, () => {
      assert.ok(isRecord(manifest.links), 'vss-extension.json has no links');
      const entry = manifest.links[link];
      assert.ok(isRecord(entry), `no '${link}' link`);

      const uri = stringField(entry, 'uri', `links.${link}`);

      assert.ok(uri.startsWith(repositoryUrl()), `${uri} is not under ${repositoryUrl()}`);
      assert.equal(new URL(uri).protocol, 'https:');
    });
  }

  it('links the license and the setup guide to files that exist in the repository', () => {
    assert.ok(isRecord(manifest.links));
    for (const link of ['license', 'getstarted']) {
      const entry = manifest.links[link];
      assert.ok(isRecord(entry));
      const match = /\/blob\/main\/([^#]+)(?:#(.*))?$/.exec(stringField(entry, 'uri', link));
      assert.ok(match, `links.${link} does not point at a file on main`);
      assert.ok(existsSync(join(ROOT, match[1] ?? '')), `links.${link}: ${match[1] ?? ''} does not exist`);
    }
  });
});

describe('the repository files an enterprise reviewer looks for', () => {
  it('LICENSE is the MIT licence, as package.json says', () => {
    assert.equal(packageJson.license, 'MIT');
    assert.match(read('LICENSE'), /^MIT License\n\nCopyright \(c\) \d{4} .+\n\nPermission is hereby granted, free of charge/);
  });

  it('SECURITY.md says how to report privately, what is promised about secrets, and the token service threat model', () => {
    const text = read('SECURITY.md');

    for (const heading of [
      '## Reporting a vulnerability',
      '## What the task promises about secrets',
      '## Threat model of the token service',
    ]) {
      assert.ok(text.includes(heading), `SECURITY.md has no '${heading}'`);
    }
    assert.ok(text.includes(`${repositoryUrl()}/security/advisories/new`));
  });

  it('CHANGELOG.md keeps a changelog, with an entry for this version', () => {
    const text = read('CHANGELOG.md');
    const version = stringField(packageJson, 'version', 'package.json');

    assert.ok(text.includes('keepachangelog.com'));
    assert.match(text, /^## \[Unreleased\]$/m);
    assert.match(text, new RegExp(`^## \\[${version.replace(/\./g, '\\.')}\\] - \\d{4}-\\d{2}-\\d{2}$`, 'm'));
    assert.match(text, new RegExp(`^\\[${version.replace(/\./g, '\\.')}\\]: https://`, 'm'));
  });

  it('CONTRIBUTING.md covers build, test, the lanes, the bench and cutting a release', () => {
    const text = read('CONTRIBUTING.md');

    for (const topic of ['npm ci', 'npm test', 'Windows', 'npm run bench', '## Cutting a release'])
      assert.ok(text.includes(topic), `CONTRIBUTING.md lacks '${topic}'`);
  });

  it('the issue templates are valid YAML forms', () => {
    const directory = join(ROOT, '.github', 'ISSUE_TEMPLATE');
    const files = readdirSync(directory).filter((file) => file.endsWith('.yml'));

    assert.ok(files.includes('bug_report.yml') && files.includes('config.yml'), files.join(', '));
    for (const file of files.filter((name) => name !== 'config.yml')) {
      const form = parseYaml(readFileSync(join(directory, file), 'utf8'), file);
      assert.ok(isRecord(form) && typeof form.name === 'string' && Array.isArray(form.body), `${file} is not an issue form`);
    }
  });
});
