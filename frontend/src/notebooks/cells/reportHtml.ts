/**
 * The report as one self-contained HTML file ("Export HTML"): prose as the notebooks renderer
 * wrote it (sanitised), metrics, tables (their first page, formatted), charts as PNG images taken
 * from the page — inline styles, no script, nothing loaded from anywhere, so it opens offline.
 */
import { escapeAll, type CellOutput, type NotebookCell, type TableHandle, type ValueFormat } from '@almready/notebooks';
import { columnKind } from '../../grid/columnDefs.ts';
import { formatValue, guessFormat, metricFormat } from './valueFormat.ts';

export interface ReportFooter { title: string; version: number; published: string; dataset: string; engineVersion: string; ranAt: string }

const STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2733;max-width:1100px;margin:24px auto;padding:0 16px;line-height:1.45}
h1,h2,h3{color:#1f4e79}table{border-collapse:collapse;margin:8px 0 16px;font-size:13px}th,td{border:1px solid #d6dde5;padding:3px 8px}
th{background:#f2f4f6;text-align:left}td.num{text-align:right;font-variant-numeric:tabular-nums}.metrics{display:flex;flex-wrap:wrap;gap:16px;margin:8px 0 16px}
.metric{border:1px solid #d6dde5;border-radius:6px;padding:8px 16px}.metric .v{font-size:28px;font-weight:600}.metric .l{color:#5b6b7b;font-size:13px}
.note{color:#5b6b7b;font-size:12px}img{max-width:100%}footer{border-top:1px solid #d6dde5;margin-top:24px;padding-top:8px;color:#5b6b7b;font-size:12px}
@media print{body{margin:0;max-width:none}section{break-inside:avoid}}`;

function tableHtml(columns: { name: string; type: string }[], rows: Record<string, unknown>[], total: number, look: { columns?: string[] | undefined; formats?: Record<string, ValueFormat> | undefined } = {}): string {
  const shown = look.columns ? columns.filter((c) => look.columns!.includes(c.name)) : columns;
  const head = shown.map((c) => `<th>${escapeAll(c.name)}</th>`).join('');
  const body = rows.map((row) => `<tr>${shown.map((c) => {
    const numeric = columnKind(c.type) === 'number' || typeof row[c.name] === 'number';
    const text = formatValue(row[c.name], look.formats?.[c.name] ?? guessFormat(c.name, numeric));
    return `<td${numeric ? ' class="num"' : ''}>${escapeAll(text)}</td>`;
  }).join('')}</tr>`).join('\n');
  const note = total > rows.length ? `<p class="note">The first ${rows.length.toLocaleString('en-GB')} of ${total.toLocaleString('en-GB')} rows.</p>` : '';
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>${note}`;
}

const handleTable = (t: TableHandle, look?: Parameters<typeof tableHtml>[3]) => tableHtml(t.columns, t.firstPage, t.rowCount, look);
const rowsColumns = (rows: Record<string, unknown>[]) => [...new Set(rows.flatMap((r) => Object.keys(r)))].map((name) => ({ name, type: rows.some((r) => typeof r[name] === 'number') ? 'DOUBLE' : 'VARCHAR' }));

/** One cell's part of the report; code never appears. `chartImage` is the chart's PNG (data URL) from the page. */
export function cellHtml(cell: NotebookCell, output: CellOutput | null | undefined, chartImages: readonly string[]): string {
  if (!output) return '';
  const img = (i: number) => (chartImages[i] && /^data:image\/png;base64,[A-Za-z0-9+/=]+$/.test(chartImages[i]!) ? `<img alt="chart" src="${chartImages[i]}">` : '');
  switch (output.kind) {
    case 'markdown': return output.html;
    case 'sql': return handleTable(output.table);
    case 'grid': {
      const look = { columns: output.spec.columns, formats: output.spec.formats };
      return 'table' in output.data ? handleTable(output.data.table, look) : tableHtml(rowsColumns(output.data.rows), output.data.rows, output.data.rows.length, look);
    }
    case 'chart': return `${output.spec.title ? `<h3>${escapeAll(output.spec.title)}</h3>` : ''}${img(0)}`;
    case 'input': return `<p><strong>${escapeAll(cell.name ?? 'input')}</strong>: ${escapeAll(Array.isArray(output.value) ? output.value.join(', ') : String(output.value ?? ''))}</p>`;
    case 'ts': {
      const metrics = output.views.flatMap((v) => (v.type === 'metric' ? [`<div class="metric"><div class="v">${escapeAll(formatValue(v.value, metricFormat(v.format)))}</div><div class="l">${escapeAll(v.label)}</div></div>`] : []));
      let chart = 0;
      const others = output.views.map((v) => {
        if (v.type === 'chart') return img(chart++);
        if (v.type !== 'grid') return '';
        const ref = (v.data as { $almTable?: string } | null)?.$almTable;
        const table = ref ? Object.values(output.tables).find((t) => t.id === ref) : undefined;
        if (table) return handleTable(table);
        return Array.isArray(v.data) ? tableHtml(rowsColumns(v.data as Record<string, unknown>[]), v.data as Record<string, unknown>[], v.data.length) : '';
      });
      return `${metrics.length ? `<div class="metrics">${metrics.join('')}</div>` : ''}${others.join('\n')}`;
    }
  }
}

export function reportHtml(sections: string[], footer: ReportFooter): string {
  const foot = `Version ${footer.version} · published ${escapeAll(footer.published)} · dataset ${escapeAll(footer.dataset)} · engine ${escapeAll(footer.engineVersion)} · ran ${escapeAll(footer.ranAt)}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>${escapeAll(footer.title)}</title><style>${STYLE}</style></head>
<body><h1>${escapeAll(footer.title)}</h1>
${sections.filter((s) => s !== '').map((s) => `<section>${s}</section>`).join('\n')}
<footer>${foot}</footer></body></html>
`;
}
