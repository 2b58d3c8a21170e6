// `npm run images`: renders the README and overview images with headless Chromium. The logs come from real runs
// of the bundled task against the local emulator, its public-cloud authority reached through a CONNECT proxy;
// the designer image is task.json laid out the way the designer groups it, and says so in its caption.
// Needs chromium; pngquant (optional) makes the PNGs palette images a third of the size.
import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './build';
import { isRecord, readJsonObject, readTaskManifest } from './manifests';
import { dumpDom, findChromium, screenshot } from './images/chromium';
import { designerPage, flowPage, logPage } from './images/pages';
import { startConnectProxy, startFakeCloud } from '../tests/fake-cloud';
import { removeTestTempDirs } from '../tests/temp';
import { renderLog, runTask } from '../tests/e2e/agent';
import { createScenario, createWorkspace, endpointFor, environmentFor } from '../tests/e2e/scenario';

const TASK_JSON = join(ROOT, 'tasks', 'EntraToken', 'v1', 'task.json');

/** The lines the agent prints around a task's own output: the step header and the finishing line. */
function agentFrame(lines: readonly string[]): string[] {
  const task = readTaskManifest(TASK_JSON);
  const raw = readJsonObject(TASK_JSON);
  const text = (key: string) => (typeof raw[key] === 'string' ? raw[key] : '');
  const name = task.instanceNameFormat.replace('$(variableName)', 'EntraAccessToken');
  const rule = '='.repeat(78);
  return [
    `Starting: ${name}`,
    rule,
    `Task         : ${task.friendlyName}`,
    `Description  : ${text('description')}`,
    `Version      : ${task.version}`,
    `Author       : ${text('author')}`,
    `Help         : ${text('helpMarkDown')}`,
    rule,
    ...lines.filter((line) => !line.startsWith('[set ') && !line.startsWith('[result]')),
    `Finishing: ${name}`,
  ];
}

function shrink(file: string, colors: number): void {
  const result = spawnSync('pngquant', ['--force', '--skip-if-larger', '--speed=1', '--output', file, String(colors), file], {
    stdio: 'ignore',
  });
  if (result.error) console.log(`pngquant not found: ${file} stays a truecolor PNG`);
}

async function taskLogs(): Promise<{ success: string[]; failure: string[] }> {
  const cloud = await startFakeCloud();
  const proxy = await startConnectProxy({ routes: { 'login.microsoftonline.com:443': new URL(cloud.url).host } });
  try {
    const scenario = createScenario(cloud);
    const run = async (identity: typeof scenario.arm, inputs: Record<string, string>) => {
      const workspace = createWorkspace();
      const env = environmentFor(cloud, workspace, {
        inputs: { connectionType: 'azureRM', azureSubscription: identity.connection.id, ...inputs },
        endpoints: [endpointFor(identity, { environment: 'AzureCloud' })],
        extra: { HTTPS_PROXY: proxy.url, AZURE_AUTHORITY_HOST: '' },
      });
      return renderLog(await runTask(env, workspace.workingDirectory));
    };
    const success = await run(scenario.arm, {
      nugetFeeds: 'https://pkgs.dev.azure.com/other-org/_packaging/my-feed/nuget/v3/index.json',
      gitOrganizations: 'https://dev.azure.com/other-org',
    });
    const app = {
      ...scenario.arm.app,
      clientId: randomUUID(),
      federatedCredentials: [{ issuer: cloud.issuerFor(scenario.arm.connection), subject: 'sc://contoso/Platform/arm-wif' }],
    };
    cloud.addApp(app);
    const failure = await run({ connection: scenario.arm.connection, app }, {});
    return { success, failure };
  } finally {
    await proxy.close();
    await cloud.close();
    removeTestTempDirs();
  }
}

function designerInputs(): Parameters<typeof designerPage>[1] {
  const raw = readJsonObject(TASK_JSON);
  const inputs = Array.isArray(raw.inputs) ? raw.inputs.filter(isRecord) : [];
  const groups = (Array.isArray(raw.groups) ? raw.groups.filter(isRecord) : []).map((group) => ({
    name: String(group.name),
    displayName: String(group.displayName),
    isExpanded: group.isExpanded === true,
  }));
  const labels = new Map(inputs.map((input) => [String(input.name), String(input.label)]));
  const optionLabels = new Map(
    inputs.flatMap((input) =>
      isRecord(input.options)
        ? Object.entries(input.options).map(([key, label]) => [`${String(input.name)}=${key}`, String(label)] as [string, string])
        : [],
    ),
  );
  return { groups, labels, optionLabels };
}

async function main(): Promise<void> {
  const chromium = findChromium();
  if (chromium === undefined) throw new Error('chromium is not installed (apt-get install -y chromium)');
  const work = mkdtempSync(join(tmpdir(), 'entratoken-images-'));
  const docs = join(ROOT, 'docs', 'images');
  mkdirSync(docs, { recursive: true });
  try {
    const logs = await taskLogs();
    const caption =
      "Rendered from a real run of the bundled task against the project's local emulator (npm run images), in the style of the Azure Pipelines log.";
    const pages: { file: string; html: string; width: number; scale: number; colors: number }[] = [
      { file: join(ROOT, 'images', 'flow@2x.png'), html: flowPage(), width: 900, scale: 2, colors: 24 },
      {
        file: join(docs, 'log-success.png'),
        html: logPage({ stepName: 'Get an Entra ID token into EntraAccessToken', lines: agentFrame(logs.success), failed: false, caption }),
        width: 1000,
        scale: 1,
        colors: 32,
      },
      {
        file: join(docs, 'log-failure.png'),
        html: logPage({ stepName: 'Get an Entra ID token into EntraAccessToken', lines: agentFrame(logs.failure), failed: true, caption }),
        width: 1000,
        scale: 1,
        colors: 32,
      },
      {
        file: join(docs, 'designer.png'),
        html: designerPage(readTaskManifest(TASK_JSON), designerInputs()),
        width: 640,
        scale: 1,
        colors: 32,
      },
    ];
    for (const page of pages) {
      const html = join(work, `${String(pages.indexOf(page))}.html`);
      // The page reports its own height, so the screenshot fits the content exactly.
      writeFileSync(html, `${page.html}<script>document.title = 'h' + document.documentElement.scrollHeight;</script>`);
      const height = Number(
        /<title>h(\d+)<\/title>/.exec(await dumpDom(chromium, pathToFileURL(html).href, { width: page.width, height: 200 }))?.[1] ?? '600',
      );
      await screenshot(chromium, pathToFileURL(html).href, page.file, { width: page.width, height, scale: page.scale });
      shrink(page.file, page.colors);
      console.log(`wrote ${page.file}`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
