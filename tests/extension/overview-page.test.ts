// overview.md is the Marketplace page. Render it to HTML, serve it on loopback with its images, load it in headless
// Chromium at 1280 and 800 px, and check what a reader would hit: images that do not load, links that go nowhere,
// a page wider than the screen. Links are checked offline: relative ones must be files the .vsix ships, links into
// this repository must name files that exist, and every other one must be a well-formed https URL.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { Marked } from 'marked';
import { ROOT } from '../../scripts/build';
import { isRecord, readJsonObject, stringField } from '../../scripts/manifests';
import { dumpDom, findChromium, screenshot } from '../../scripts/images/chromium';

const manifest = readJsonObject(join(ROOT, 'vss-extension.json'));
const REPOSITORY = isRecord(manifest.repository) ? stringField(manifest.repository, 'uri', 'repository') : '';
const RAW = `${REPOSITORY.replace('https://github.com/', 'https://raw.githubusercontent.com/')}/main/`;
const BLOB = `${REPOSITORY}/blob/main/`;
export const SCREENSHOTS = join(ROOT, 'out', 'overview');

/** GitHub's and the Marketplace's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/<[^>]+>/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s/g, '-');
}

function shippedFiles(): string[] {
  const files = Array.isArray(manifest.files) ? manifest.files.filter(isRecord) : [];
  return files.filter((file) => file.addressable === true).map((file) => stringField(file, 'path', 'files[]'));
}

function renderOverview(): string {
  const marked = new Marked({ gfm: true });
  marked.use({
    renderer: {
      heading({ tokens, depth }) {
        const text = this.parser.parseInline(tokens);
        return `<h${String(depth)} id="${slug(text)}">${text}</h${String(depth)}>\n`;
      },
    },
  });
  const body = marked.parse(readFileSync(join(ROOT, 'overview.md'), 'utf8'), { async: false });
  // Images in this repository are served from the checkout: the test has no network, the file is what GitHub serves.
  const local = body.replaceAll(`src="${RAW}`, 'src="/');
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>overview</title><style>
    body { margin:0; font-family:"Segoe UI", "DejaVu Sans", sans-serif; font-size:14px; line-height:1.5; color:#201f1e }
    .markdown { max-width:880px; margin:0 auto; padding:16px 24px }
    img { max-width:100% } pre { overflow:auto; background:#f4f4f4; padding:10px } code { font-family:"DejaVu Sans Mono", monospace; font-size:13px }
    table { border-collapse:collapse; display:block; overflow-x:auto } td, th { border:1px solid #ddd; padding:4px 8px; vertical-align:top }
  </style></head><body><div class="markdown">${local}</div><pre id="report"></pre><script>
    window.addEventListener('load', () => {
      const report = {
        images: [...document.querySelectorAll('.markdown img')].map((img) => ({ src: img.getAttribute('src'), width: img.naturalWidth, shown: img.getBoundingClientRect().width })),
        links: [...document.querySelectorAll('.markdown a')].map((a) => a.getAttribute('href')),
        ids: [...document.querySelectorAll('[id]')].map((element) => element.id),
        pageWidth: document.documentElement.scrollWidth,
        viewport: window.innerWidth,
      };
      document.getElementById('report').textContent = JSON.stringify(report);
    });
  </script></body></html>`;
}

interface Report {
  images: { src: string; width: number; shown: number }[];
  links: string[];
  ids: string[];
  pageWidth: number;
  viewport: number;
}

function parseReport(dom: string): Report {
  const json = /<pre id="report">([^<]*)<\/pre>/.exec(dom)?.[1];
  assert.ok(json !== undefined && json !== '', 'the page did not finish loading in Chromium');
  const value: unknown = JSON.parse(
    json
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&'),
  );
  assert.ok(isRecord(value) && Array.isArray(value.images) && Array.isArray(value.links) && Array.isArray(value.ids));
  return {
    images: value.images
      .filter(isRecord)
      .map((image) => ({ src: String(image.src), width: Number(image.width), shown: Number(image.shown) })),
    links: value.links.map(String),
    ids: value.ids.map(String),
    pageWidth: Number(value.pageWidth),
    viewport: Number(value.viewport),
  };
}

function serve(page: string): Promise<Server> {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    if (path === '/') {
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page);
      return;
    }
    const file = normalize(join(ROOT, path));
    const allowed = (file.startsWith(join(ROOT, 'images')) || file.startsWith(join(ROOT, 'docs', 'images'))) && existsSync(file);
    if (!allowed) {
      response.writeHead(404).end();
      return;
    }
    response
      .writeHead(200, { 'Content-Type': extname(file) === '.png' ? 'image/png' : 'application/octet-stream' })
      .end(readFileSync(file));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      resolve(server);
    }),
  );
}

describe('overview.md as the Marketplace page, in headless Chromium', function () {
  this.timeout(120_000);
  const chromium = findChromium();
  let server: Server | undefined;
  let url: string;

  before(async function () {
    if (chromium === undefined) {
      console.log('    skipped: chromium is not installed (apt-get install -y chromium); .ci/run installs it');
      this.skip();
    }
    const started = await serve(renderOverview());
    server = started;
    url = `http://127.0.0.1:${String((started.address() as AddressInfo).port)}/`;
    mkdirSync(SCREENSHOTS, { recursive: true });
  });
  after(() => {
    server?.close();
  });

  for (const width of [1280, 800]) {
    describe(`at ${String(width)} px`, () => {
      let report: Report;
      before(async () => {
        report = parseReport(await dumpDom(chromium ?? '', url, { width, height: 900 }));
        await screenshot(chromium ?? '', url, join(SCREENSHOTS, `first-screen-${String(width)}.png`), { width, height: 900 });
      });

      it('loads every image, none wider than the screen', () => {
        assert.ok(report.images.length > 0, 'the page shows no image');
        for (const image of report.images) {
          assert.ok(image.width > 0, `${image.src} did not load`);
          assert.ok(image.shown <= width, `${image.src} is ${String(image.shown)} px wide on a ${String(width)} px screen`);
        }
      });

      it('is no wider than the screen', () => {
        assert.ok(report.pageWidth <= report.viewport, `the page is ${String(report.pageWidth)} px wide at ${String(report.viewport)} px`);
      });

      it('has no link that goes nowhere', () => {
        assert.ok(report.links.length > 0, 'the page has no link');
        for (const href of report.links) {
          if (href.startsWith('#')) {
            assert.ok(report.ids.includes(href.slice(1)), `link ${href}: no such heading`);
          } else if (href.startsWith(BLOB)) {
            const file = decodeURIComponent(href.slice(BLOB.length).split('#')[0] ?? '');
            assert.ok(existsSync(join(ROOT, file)), `link ${href}: ${file} is not in the repository`);
          } else if (/^[a-z]+:/i.test(href)) {
            assert.ok(
              href.startsWith('https://') && URL.canParse(href) && new URL(href).hostname.includes('.'),
              `link ${href} is not a well-formed https URL`,
            );
          } else {
            assert.ok(
              shippedFiles().includes(href.split('#')[0] ?? ''),
              `relative link ${href} resolves on the Marketplace only to a file the .vsix ships`,
            );
          }
        }
      });
    });
  }
});
