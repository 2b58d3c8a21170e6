// The HTML the README and overview images are rendered from: the flow diagram, a step log in the style of the
// Azure Pipelines log viewer, and task.json's inputs laid out the way the classic designer groups them.
import type { TaskManifest } from '../manifests';

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const FONT = `font-family: "Segoe UI", "DejaVu Sans", system-ui, sans-serif;`;

export function flowPage(): string {
  const box = (
    x: number,
    y: number,
    w: number,
    h: number,
    fill: string,
    stroke: string,
    title: string,
    titleColor: string,
    lines: string[],
  ) => `
    <div class="box" style="left:${String(x)}px;top:${String(y)}px;width:${String(w)}px;height:${String(h)}px;background:${fill};border-color:${stroke}">
      <div class="title" style="color:${titleColor}">${title}</div>${lines.map((line) => `<div class="line">${line}</div>`).join('')}
    </div>`;
  const label = (x: number, y: number, n: string, text: string, sub: string[]) => `
    <div class="label" style="left:${String(x)}px;top:${String(y)}px">${n === '' ? '' : `<span class="n">${n}</span>`}<b>${text}</b>${sub.map((line) => `<div class="sub">${line}</div>`).join('')}</div>`;
  return `<!doctype html><meta charset="utf-8"><style>
    html { zoom:0.75 } body { margin:0; width:1200px; height:384px; background:#fff; ${FONT} color:#1f2937; position:relative; overflow:hidden }
    h1 { position:absolute; left:24px; top:14px; margin:0; font-size:22px; font-weight:700 }
    .box { position:absolute; box-sizing:border-box; border:2px solid; border-radius:10px; display:flex; flex-direction:column; justify-content:center; align-items:center; text-align:center }
    .title { font-size:19px; font-weight:700; margin-bottom:4px } .line { font-size:15px; line-height:23px }
    .label { position:absolute; font-size:15px; text-align:center } .sub { font-size:14px; color:#374151; margin-top:2px }
    .n { display:inline-block; width:22px; height:22px; border-radius:11px; background:#1d4ed8; color:#fff; font-size:14px; line-height:22px; margin-right:6px; font-weight:700 }
    .arrow { position:absolute; background:#334155 } .head { position:absolute; width:0; height:0; border:8px solid transparent }
    code { font-family: "DejaVu Sans Mono", monospace; font-weight:700 }
  </style><body>
    <h1>How EntraToken@1 gets an Entra ID access token — no PAT</h1>
    ${box(24, 66, 170, 130, '#f3f4f6', '#6b7280', 'Pipeline job', '#1f2937', ['(on the agent)'])}
    ${box(398, 66, 306, 130, '#eff6ff', '#1d4ed8', 'Azure DevOps', '#1d4ed8', ['issues an OIDC token (~10 min)', 'iss · sub = service connection', 'aud = api://AzureADTokenExchange'])}
    ${box(884, 66, 292, 130, '#f5f3ff', '#6d28d9', 'Microsoft Entra ID', '#5b21b6', ['token endpoint checks the', 'federated credential', '(issuer + subject must match)'])}
    ${box(884, 262, 292, 104, '#ecfdf5', '#15803d', 'EntraToken@1', '#166534', ['registers it as a secret,', 'sets <code>$(EntraAccessToken)</code>'])}
    ${box(24, 262, 680, 104, '#f3f4f6', '#6b7280', 'Later steps in the job use the token', '#1f2937', ['<b style="color:#1d4ed8;font-size:18px">NuGet · npm · pip · git · REST · Renovate · tfx</b>'])}
    <div class="arrow" style="left:196px;top:129px;width:190px;height:3px"></div><div class="head" style="left:384px;top:122px;border-left:12px solid #334155"></div>
    ${label(206, 78, '1', 'POST', ['System.OidcRequestUri'])}${label(222, 140, '', '', ['(with the job token)'])}
    <div class="arrow" style="left:706px;top:129px;width:166px;height:3px"></div><div class="head" style="left:870px;top:122px;border-left:12px solid #334155"></div>
    ${label(716, 100, '2', 'OIDC token', [])}${label(726, 140, '', '', ['as client assertion'])}
    <div class="arrow" style="left:1029px;top:198px;width:3px;height:52px"></div><div class="head" style="left:1022px;top:248px;border-top:12px solid #334155"></div>
    ${label(800, 216, '3', 'access token (~1 h)', [])}
    <div class="arrow" style="left:718px;top:313px;width:164px;height:3px"></div><div class="head" style="left:700px;top:306px;border-right:12px solid #334155"></div>
  </body>`;
}

export interface LogPage {
  readonly stepName: string;
  readonly lines: readonly string[];
  readonly failed: boolean;
  readonly caption: string;
}

export function logPage(page: LogPage): string {
  const line = (text: string, index: number) => {
    const kind = text.startsWith('##[error]')
      ? 'error'
      : text.startsWith('##[warning]')
        ? 'warning'
        : text.startsWith('====') || /^(Task|Description|Version|Author|Help) +:/.test(text)
          ? 'header'
          : '';
    return `<div class="l ${kind}"><span class="no">${String(index + 1)}</span><span class="t">${escape(text)}</span></div>`;
  };
  return `<!doctype html><meta charset="utf-8"><style>
    body { margin:0; background:#fff; ${FONT} color:#201f1e }
    .bar { display:flex; align-items:center; gap:10px; padding:12px 16px; border-bottom:1px solid #e1dfdd; font-size:16px; font-weight:600 }
    .dot { width:18px; height:18px; border-radius:9px; background:${page.failed ? '#cd4a45' : '#339947'}; color:#fff; font-size:13px; line-height:18px; text-align:center }
    .log { padding:8px 0 12px; font-family:"DejaVu Sans Mono", Consolas, monospace; font-size:13px; line-height:20px }
    .l { display:flex; white-space:pre-wrap; word-break:break-all; padding-right:16px } .no { flex:0 0 44px; text-align:right; padding-right:14px; color:#8a8886 }
    .header .t { color:#605e5c } .warning .t { color:#8a5a00; background:#fff4ce } .error .t { color:#a4262c; background:#fde7e9 }
    .caption { padding:6px 16px 10px; font-size:12px; color:#605e5c; border-top:1px solid #e1dfdd }
  </style><body>
    <div class="bar"><span class="dot">${page.failed ? '✕' : '✓'}</span>${escape(page.stepName)}</div>
    <div class="log">${page.lines.map(line).join('')}</div>
    <div class="caption">${escape(page.caption)}</div>
  </body>`;
}

/** task.json's inputs as the designer shows them for the defaults: groups in order, only visible inputs. */
export function designerPage(
  task: TaskManifest,
  raw: {
    readonly groups: readonly { name: string; displayName: string; isExpanded?: boolean }[];
    readonly labels: ReadonlyMap<string, string>;
    readonly optionLabels: ReadonlyMap<string, string>;
  },
): string {
  const values = new Map(task.inputs.map((input) => [input.name, String(input.defaultValue ?? '')]));
  const visible = (rule: string | undefined) =>
    rule === undefined ||
    rule.split('||').some((clause) => {
      const match = /^\s*(\w+)\s*(!=|=)\s*"?(.*?)"?\s*$/.exec(clause);
      if (!match) return true;
      const equal = (values.get(match[1] ?? '') ?? '') === (match[3] ?? '');
      return match[2] === '=' ? equal : !equal;
    });
  const field = (name: string) => {
    const input = task.inputs.find((candidate) => candidate.name === name);
    if (!input || !visible(input.visibleRule)) return '';
    const label = escape(raw.labels.get(name) ?? name) + (input.required ? ' <span class="req">*</span>' : '');
    const value = values.get(name) ?? '';
    const control =
      input.type === 'boolean'
        ? `<div class="check"><span class="box">${value === 'true' ? '✓' : ''}</span>${label}</div>`
        : `<div class="lbl">${label} <span class="info">i</span></div><div class="ctl ${input.type.startsWith('connectedService') || input.type === 'pickList' ? 'pick' : ''}">${escape(input.type.startsWith('connectedService') ? 'my-ado-wif-connection' : (raw.optionLabels.get(`${name}=${value}`) ?? value))}</div>`;
    return `<div class="f">${control}</div>`;
  };
  const groups = raw.groups
    .map((group) => {
      const inputs = task.inputs
        .filter((input) => input.groupName === group.name)
        .map((input) => field(input.name))
        .join('');
      return `<div class="g"><div class="gh">${group.isExpanded === true ? '⌄' : '›'} ${escape(group.displayName)}</div>${group.isExpanded === true ? inputs : ''}</div>`;
    })
    .join('');
  return `<!doctype html><meta charset="utf-8"><style>
    body { margin:0; background:#fff; ${FONT} color:#201f1e; font-size:14px }
    .top { padding:14px 18px; border-bottom:1px solid #e1dfdd } .top b { font-size:17px } .ver { color:#605e5c; margin-left:8px }
    .f { padding:6px 18px } .lbl { font-weight:600; margin-bottom:4px } .req { color:#a4262c } .info { display:inline-block; width:14px; height:14px; border:1px solid #605e5c; border-radius:8px; font-size:11px; line-height:14px; text-align:center; color:#605e5c; font-weight:600; margin-left:2px }
    .ctl { border:1px solid #8a8886; border-radius:2px; padding:6px 8px; min-height:18px; font-family:"DejaVu Sans Mono", monospace; font-size:13px }
    .pick { position:relative } .pick:after { content:'⌄'; position:absolute; right:10px; top:4px }
    .check { display:flex; align-items:center; gap:8px; font-weight:600 } .check .box { width:16px; height:16px; border:1px solid #605e5c; border-radius:2px; text-align:center; line-height:16px }
    .g { border-top:1px solid #edebe9; margin-top:6px; padding-bottom:4px } .gh { padding:10px 18px 4px; font-weight:600; font-size:15px }
    .caption { padding:8px 18px 12px; font-size:12px; color:#605e5c; border-top:1px solid #e1dfdd; margin-top:8px }
  </style><body>
    <div class="top"><b>${escape(task.instanceNameFormat.replace('$(variableName)', values.get('variableName') ?? ''))}</b><span class="ver">Task version ${escape(task.version.split('.')[0] ?? '')}.*</span></div>
    ${groups}
    <div class="caption">A rendering of task.json's inputs as the classic designer groups them (defaults, Azure DevOps connection): not a screenshot of Azure DevOps.</div>
  </body>`;
}
