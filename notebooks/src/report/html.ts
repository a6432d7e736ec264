/**
 * A report as ONE self-contained HTML file: inline CSS (with a print layout), tables inline,
 * charts as inline SVG, prose as the Markdown sanitiser rendered it, metrics with their formats
 * and a footer naming the version, the dataset and its hash, the engine version and the run.
 * Nothing in it loads anything: no script, no stylesheet link, no font, no remote or relative
 * image (those become their alt text), and a Content-Security-Policy of `default-src 'none'`
 * in case a browser were ever asked to. Pure and deterministic: the same report gives the same bytes.
 */
import { escapeAll } from '../markdown/render.ts';
import type { CellValue } from '../runtime/outputs.ts';
import { buildReport, HTML_REPORT_LIMITS, type ReportInput } from './build.ts';
import { formatValue } from './format.ts';
import type { Report, ReportCell, ReportChart, ReportMetric, ReportTable } from './schema.ts';
import { renderChartSvg } from './svg-chart.ts';

/** The document, outputs, table rows and meta of one execution → the HTML file's text. */
export function renderReportHtml(input: ReportInput): string {
  return reportHtml(buildReport(input, HTML_REPORT_LIMITS));
}

export function reportHtml(report: Report): string {
  const { meta } = report;
  const body = report.cells.map(cellHtml).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="ALMReady">
<title>${esc(report.title)} — version ${meta.version}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${esc(report.title)}</h1>
${report.description ? `<p class="description">${esc(report.description)}</p>\n` : ''}<dl class="meta">
<div><dt>Notebook</dt><dd>${esc(meta.notebookName)}, version ${meta.version}</dd></div>
<div><dt>Dataset</dt><dd>${esc(datasetLabel(report))}</dd></div>
${meta.publishedAt ? `<div><dt>Published</dt><dd>${esc(meta.publishedAt)}${meta.publishedBy ? ` by ${esc(meta.publishedBy)}` : ''}</dd></div>\n` : ''}${parametersHtml(meta.parameters)}</dl>
</header>
<main>
${body || '<p class="muted">This report has no outputs.</p>'}
</main>
<footer>
<p>${esc(meta.notebookName)} · version ${meta.version}${meta.publicationId ? ` · publication ${esc(meta.publicationId)}` : ''}</p>
<p>Dataset ${esc(datasetLabel(report))} · content hash <code>${esc(meta.datasetHash ?? 'none')}</code></p>
<p>Engine ${esc(meta.engineVersion)} · ran ${esc(meta.ranAt)} in ${seconds(meta.runMs)}${meta.publishedAt ? ` · published ${esc(meta.publishedAt)}${meta.publishedBy ? ` by ${esc(meta.publishedBy)}` : ''}` : ''}</p>
</footer>
</body>
</html>
`;
}

function cellHtml(cell: ReportCell): string {
  const heading = (title: string | null) => (title ? `<h3>${esc(title)}</h3>` : '');
  switch (cell.kind) {
    case 'markdown': return `<section class="cell prose">\n${offline(cell.html)}</section>`;
    case 'sql': return `<section class="cell">${heading(cell.name ?? cell.table.name)}${tableHtml(cell.table)}</section>`;
    case 'grid': return `<section class="cell">${heading(cell.name)}${tableHtml(cell.table)}</section>`;
    case 'chart': return `<section class="cell">${chartHtml(cell.chart)}</section>`;
    case 'input': {
      const label = cell.spec?.label ?? cell.name ?? cell.cellId;
      const format = cell.spec?.type === 'number' ? cell.spec.format ?? null : cell.spec?.type === 'tier1' ? 'money' : null;
      const value = Array.isArray(cell.value) ? cell.value.join(', ') : formatValue(cell.value, format);
      return `<section class="cell input"><span class="label">${esc(label)}</span> <strong>${esc(value)}</strong></section>`;
    }
    case 'ts': {
      const cards: ReportMetric[] = [...cell.metrics, ...cell.values.map((v) => ({ label: v.name, value: v.value, format: null }))];
      const parts = [
        cards.length > 0 ? `<div class="metrics">${cards.map(metricHtml).join('')}</div>` : '',
        ...cell.charts.map(chartHtml),
        ...cell.grids.map((t) => tableHtml(t)),
        ...cell.tables.map((t) => `<h4>${esc(t.name)}</h4>${tableHtml(t)}`),
        ...cell.problems.map((p) => `<p class="note">${esc(p)}</p>`),
        cell.console.length > 0 ? `<details><summary>Log (${cell.console.length} line${cell.console.length === 1 ? '' : 's'})</summary><pre>${esc(cell.console.map((l) => (l.level === 'log' ? l.text : `[${l.level}] ${l.text}`)).join('\n'))}</pre></details>` : '',
      ].filter((p) => p !== '');
      if (parts.length === 0) return '';
      return `<section class="cell">${heading(cell.name)}${parts.join('\n')}</section>`;
    }
  }
}

function metricHtml(metric: ReportMetric): string {
  return `<div class="metric"><div class="label">${esc(metric.label)}</div><div class="value">${esc(formatValue(metric.value, metric.format))}</div></div>`;
}

function chartHtml(chart: ReportChart): string {
  const note = chart.rows.length < chart.rowCount ? `<figcaption>Drawn from the first ${count(chart.rows.length)} of ${count(chart.rowCount)} rows.</figcaption>` : '';
  return `<figure>${renderChartSvg(chart.spec, chart.rows)}${note}</figure>`;
}

function tableHtml(table: ReportTable): string {
  const numeric = (type: string) => /INT|DOUBLE|DECIMAL|FLOAT|REAL|NUMERIC|HUGEINT/i.test(type);
  const head = table.columns.map((c) => `<th${numeric(c.type) ? ' class="num"' : ''}>${esc(c.name)}</th>`).join('');
  const rows = table.rows.map((row) => `<tr>${table.columns.map((c) => {
    const value: CellValue | undefined = row[c.name];
    return `<td${numeric(c.type) || typeof value === 'number' ? ' class="num"' : ''}>${esc(formatValue(value, table.formats?.[c.name]))}</td>`;
  }).join('')}</tr>`).join('\n');
  const note = table.rows.length < table.rowCount
    ? `<p class="note">${count(table.rows.length)} of ${count(table.rowCount)} rows.</p>`
    : `<p class="note">${count(table.rowCount)} row${table.rowCount === 1 ? '' : 's'}.</p>`;
  return `<div class="table-wrap"><table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${rows}\n</tbody>\n</table></div>${note}`;
}

function parametersHtml(parameters: Report['meta']['parameters']): string {
  const entries = Object.entries(parameters).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length === 0) return '';
  const text = entries.map(([name, value]) => `${name} = ${Array.isArray(value) ? value.join(', ') : value === null ? '(none)' : formatValue(value, null)}`).join('; ');
  return `<div><dt>Inputs</dt><dd>${esc(text)}</dd></div>\n`;
}

function datasetLabel(report: Report): string {
  const { meta } = report;
  if (meta.datasetId === null) return 'none';
  const name = meta.datasetName ? `${meta.datasetName} (${meta.datasetId})` : meta.datasetId;
  return meta.datasetAsOf ? `${name}, as of ${meta.datasetAsOf}` : name;
}

/**
 * Prose HTML comes from the sanitiser (`renderMarkdown`), whose only loading element is `<img>`:
 * a data: image stays, any other source (a workspace path the file cannot reach) becomes its alt text.
 */
function offline(html: string): string {
  return html.replace(/<img src="([^"]*)" alt="([^"]*)"[^>]*>/g, (whole, src: string, alt: string) => (src.startsWith('data:image/') ? whole : `<span class="nb-blocked-image" title="image not included in the export">${alt}</span>`));
}

const integer = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const count = (n: number) => integer.format(n);
const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
const esc = escapeAll;

const CSS = `
:root{color-scheme:light;--ink:#1d2430;--muted:#5e6b7a;--rule:#d8dee6;--band:#f4f6f9;--accent:#2f6db5}
*{box-sizing:border-box}
body{margin:0 auto;max-width:960px;padding:24px 32px;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--ink);background:#fff}
h1{font-size:26px;margin:0 0 4px}h2{font-size:20px}h3{font-size:16px;margin:0 0 8px}h4{font-size:14px;margin:12px 0 4px}
header{border-bottom:2px solid var(--ink);padding-bottom:12px;margin-bottom:16px}
.description{color:var(--muted);margin:0 0 8px}
dl.meta{display:flex;flex-wrap:wrap;gap:4px 24px;margin:8px 0 0;font-size:13px}
dl.meta div{display:flex;gap:6px}dl.meta dt{color:var(--muted)}dl.meta dd{margin:0}
.cell{margin:0 0 20px;page-break-inside:avoid;break-inside:avoid}
.prose p{margin:0 0 8px}.prose table{margin:8px 0}
.nb-value{font-weight:600}.nb-missing{color:#a33;border-bottom:1px dotted #a33}
.metrics{display:flex;flex-wrap:wrap;gap:12px;margin:4px 0 12px}
.metric{border:1px solid var(--rule);border-radius:6px;padding:8px 12px;min-width:160px}
.metric .label{color:var(--muted);font-size:12px}.metric .value{font-size:20px;font-weight:600;font-variant-numeric:tabular-nums}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;font-size:12.5px;font-variant-numeric:tabular-nums}
th,td{border-bottom:1px solid var(--rule);padding:3px 10px;text-align:left;white-space:nowrap}
th{background:var(--band);font-weight:600}td.num,th.num{text-align:right}
tbody tr:nth-child(even) td{background:#fafbfc}
.note,figcaption{color:var(--muted);font-size:12px;margin:4px 0 0}
figure{margin:0}
svg.chart{max-width:100%;height:auto;font:11px system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;fill:var(--ink)}
svg.chart .chart-title{font-size:13px;font-weight:600}
svg.chart .grid{stroke:#e6eaef;stroke-width:1}svg.chart .axis{stroke:#8a96a3;stroke-width:1}svg.chart .muted{fill:var(--muted)}
.input .label{color:var(--muted)}
pre{background:var(--band);padding:8px;overflow-x:auto;font-size:12px}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
a{color:var(--accent)}
footer{border-top:1px solid var(--rule);margin-top:24px;padding-top:8px;color:var(--muted);font-size:12px}
footer p{margin:2px 0}
@page{size:A4;margin:16mm}
@media print{body{max-width:none;padding:0;font-size:11pt}.table-wrap{overflow:visible}details{display:none}a{color:inherit;text-decoration:none}
thead{display:table-header-group}tr,figure,.metric{break-inside:avoid}footer{break-inside:avoid}}
`;
