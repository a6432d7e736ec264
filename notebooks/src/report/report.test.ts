/**
 * The report builder and the HTML export over hand-made outputs of every cell kind: no source
 * code in the report or the file, tables bounded with "n of N rows", charts as SVG with their
 * figures, metrics formatted, nothing in the file that loads anything (checked by parsing every
 * tag and attribute), and two exports of one report byte-identical.
 */
import { describe, expect, it } from 'vitest';
import type { NotebookDocument } from '../format/schema.ts';
import type { CellOutput, TableHandle } from '../runtime/outputs.ts';
import { buildReport, type StoredRows } from './build.ts';
import { renderReportHtml } from './html.ts';
import { reportSchema, type ReportMeta } from './schema.ts';
import { niceScale, renderChartSvg } from './svg-chart.ts';
import { externalReferences, htmlTags as tags } from './offline-check.ts';

const SQL = 'SELECT bucket, sum(gap) AS gap FROM positions GROUP BY bucket -- secret-sql-marker';
const TS = 'const secretTsMarker = 1;\nexport const eve_base = 1234567.891;\nalm.metric("ΔEVE parallel up", -2500000, "money");';

const doc: NotebookDocument = {
  format: 'almready-notebook',
  version: 2,
  title: 'IRRBB report',
  description: 'Quarterly <figures>',
  cells: [
    { id: 'intro', kind: 'markdown', source: 'EVE is ${eve_base:money}. ![logo](logo.png) ![dot](data:image/png;base64,iVBORw0KGgo=)' },
    { id: 'tier1', kind: 'input', name: 'tier1', source: JSON.stringify({ type: 'tier1', label: 'Tier 1 capital', default: 1_000_000_000 }) },
    { id: 'gap', kind: 'sql', name: 'gap', source: SQL },
    { id: 'quant', kind: 'ts', name: 'quant', source: TS },
    { id: 'gap_chart', kind: 'chart', source: JSON.stringify({ data: 'gap', type: 'bar', x: 'bucket', y: 'gap', formats: { gap: 'money' } }) },
    { id: 'steps', kind: 'chart', source: JSON.stringify({ data: 'steps', type: 'waterfall', x: 'step', y: 'delta' }) },
    { id: 'gap_grid', kind: 'grid', source: JSON.stringify({ data: 'gap', columns: ['gap', 'bucket'], formats: { gap: 'money' } }) },
    { id: 'never_ran', kind: 'sql', name: 'never_ran', source: 'SELECT 1' },
  ],
};

const bigRows = Array.from({ length: 2500 }, (_, i) => ({ bucket: `b${String(i).padStart(4, '0')}`, gap: i * 1000 - 1_000_000 }));
const gapTable: TableHandle = {
  id: 'notebook-results/aa.parquet', name: 'gap', rowCount: 2500,
  columns: [{ name: 'bucket', type: 'VARCHAR' }, { name: 'gap', type: 'DOUBLE' }], firstPage: bigRows.slice(0, 100),
};
const outputs = new Map<string, CellOutput>([
  ['intro', { kind: 'markdown', html: '<p>EVE is <span class="nb-value">1,234,568</span>. <img src="./logo.png" alt="logo"> <img src="data:image/png;base64,iVBORw0KGgo=" alt="dot"></p>\n', references: ['eve_base'], problems: [] }],
  ['tier1', { kind: 'input', value: 1_000_000_000 }],
  ['gap', { kind: 'sql', table: gapTable }],
  ['quant', { kind: 'ts', values: { eve_base: 1234567.891, settings: { a: 1 } }, tables: {}, console: [{ level: 'log', text: 'ran' }], views: [{ type: 'metric', label: 'ΔEVE parallel up', value: -2_500_000, format: 'money' }] }],
  ['gap_chart', { kind: 'chart', spec: { data: 'gap', type: 'bar', x: 'bucket', y: 'gap', formats: { gap: 'money' } }, data: { table: gapTable } }],
  ['steps', { kind: 'chart', spec: { data: 'steps', type: 'waterfall', x: 'step', y: 'delta' }, data: { rows: [{ step: 'base', delta: 100 }, { step: 'shock', delta: -30 }, { step: 'beta', delta: 5 }] } }],
  ['gap_grid', { kind: 'grid', spec: { data: 'gap', columns: ['gap', 'bucket'], formats: { gap: 'money' } }, data: { table: gapTable } }],
]);
const stored = new Map<string, StoredRows>([[gapTable.id, { rowCount: 2500, columns: gapTable.columns, rows: bigRows.slice(0, 1000) }]]);
const meta: ReportMeta = {
  notebookId: 'nb1', notebookName: 'IRRBB report', version: 3, publicationId: 'pub-1',
  datasetId: 'ds-1', datasetName: 'Q4 book', datasetAsOf: '2026-09-30', datasetHash: 'f'.repeat(64),
  engineVersion: '1.4.0', parameters: { tier1: 1_000_000_000 }, ranAt: '2026-12-04T10:00:00.000Z', runMs: 1234,
  publishedAt: '2026-12-04T10:00:02.000Z', publishedBy: 'erin',
};
const input = { document: doc, outputs, tableRows: stored, meta };

describe('buildReport', () => {
  const report = buildReport(input, { tableRows: 100, chartRows: 1000 });

  it('fits the report schema, cell by cell in notebook order, leaving out cells without output', () => {
    expect(reportSchema.parse(report)).toEqual(report);
    expect(report.cells.map((c) => `${c.cellId}:${c.kind}`)).toEqual(['intro:markdown', 'tier1:input', 'gap:sql', 'quant:ts', 'gap_chart:chart', 'steps:chart', 'gap_grid:grid']);
    expect(report.meta).toEqual(meta);
  });

  it('carries no SQL or TypeScript source', () => {
    const text = JSON.stringify(report);
    expect(text).not.toContain('secret-sql-marker');
    expect(text).not.toContain('GROUP BY');
    expect(text).not.toContain('secretTsMarker');
    expect(text).not.toContain('alm.metric');
  });

  it('bounds tables and keeps the full row count; charts get their longer rows', () => {
    const gap = report.cells.find((c) => c.cellId === 'gap');
    expect(gap).toMatchObject({ kind: 'sql', table: { name: 'gap', rowCount: 2500 } });
    expect(gap?.kind === 'sql' && gap.table.rows).toHaveLength(100);
    const chart = report.cells.find((c) => c.cellId === 'gap_chart');
    expect(chart?.kind === 'chart' && chart.chart.rows.length).toBe(1000);
    expect(chart?.kind === 'chart' && chart.chart.rowCount).toBe(2500);
  });

  it('a ts cell gives its metrics and single exported values, not its objects', () => {
    const quant = report.cells.find((c) => c.cellId === 'quant');
    expect(quant).toMatchObject({ kind: 'ts', values: [{ name: 'eve_base', value: 1234567.891 }], metrics: [{ label: 'ΔEVE parallel up', value: -2_500_000, format: 'money' }], problems: [] });
  });

  it('a grid shows the spec\'s columns in its order; an input its spec and value', () => {
    const grid = report.cells.find((c) => c.cellId === 'gap_grid');
    expect(grid?.kind === 'grid' && grid.table.columns.map((c) => c.name)).toEqual(['gap', 'bucket']);
    expect(report.cells.find((c) => c.cellId === 'tier1')).toMatchObject({ kind: 'input', value: 1_000_000_000, spec: { type: 'tier1', label: 'Tier 1 capital' } });
  });
});

describe('renderReportHtml', () => {
  const html = renderReportHtml(input);

  it('references nothing outside the file', () => {
    expect(externalReferences(html)).toEqual([]);
    // the checker itself finds each kind of load it looks for
    expect(externalReferences('<img src="https://x/y.png" alt=""><script src=a.js></script><link rel=stylesheet href="s.css"><p style="background:url(x)" onclick=go()></p><style>@import "x.css";</style>'))
      .toEqual(['img src="https://x/y.png"', '<script>', 'script src="a.js"', '<link>', 'link href="s.css"', 'p style with a load', 'p onclick=', 'a load in <style>']);
    expect(html).toContain('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; img-src data:">');
  });

  it('keeps data: images, turns workspace images into their alt text', () => {
    expect(html).toContain('<img src="data:image/png;base64,iVBORw0KGgo=" alt="dot">');
    expect(html).not.toContain('logo.png');
    expect(html).toContain('<span class="nb-blocked-image" title="image not included in the export">logo</span>');
  });

  it('holds the figures: prose values, metrics formatted, table rows with "n of N", charts as SVG', () => {
    expect(html).toContain('EVE is <span class="nb-value">1,234,568</span>.');
    expect(html).toContain('<div class="label">ΔEVE parallel up</div><div class="value">-2,500,000</div>');
    expect(html).toContain('<div class="label">eve_base</div><div class="value">1,234,568</div>');
    expect(html).toContain('<span class="label">Tier 1 capital</span> <strong>1,000,000,000</strong>');
    // the SQL table: its first 1,000 rows of 2,500, money-formatted in the grid
    expect(html).toContain('<p class="note">1,000 of 2,500 rows.</p>');
    expect(html).toContain('<td>b0999</td>');
    expect(html).not.toContain('<td>b1000</td>');
    expect(html).toContain('<td class="num">-1,000,000</td><td>b0000</td>');
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).toContain('Drawn from the first 1,000 of 2,500 rows.');
    // the waterfall: +100, −30, +5 and a total of 75
    expect(html).toContain('<title>delta: 100</title>');
    expect(html).toContain('<title>delta: -30</title>');
    expect(html).toContain('<title>Total: 75</title>');
    expect(html).toContain('Quarterly &lt;figures&gt;');
  });

  it('has no source code, and a footer naming version, dataset hash, engine version and run', () => {
    expect(html).not.toContain('secret-sql-marker');
    expect(html).not.toContain('secretTsMarker');
    const footer = html.slice(html.indexOf('<footer>'));
    expect(footer).toContain('IRRBB report · version 3 · publication pub-1');
    expect(footer).toContain(`Dataset Q4 book (ds-1), as of 2026-09-30 · content hash <code>${'f'.repeat(64)}</code>`);
    expect(footer).toContain('Engine 1.4.0 · ran 2026-12-04T10:00:00.000Z in 1.23 s · published 2026-12-04T10:00:02.000Z by erin');
    expect(html).toContain('@media print');
  });

  it('is deterministic: the same input gives the same bytes', () => {
    expect(renderReportHtml(structuredClone(input))).toBe(html);
  });

  it('escapes what the outputs hold', () => {
    const evil = new Map(outputs);
    evil.set('gap', { kind: 'sql', table: { ...gapTable, name: '<script>x</script>', firstPage: [{ bucket: '<img src=x onerror=alert(1)>', gap: 1 }], rowCount: 1 } });
    const out = renderReportHtml({ ...input, outputs: evil, tableRows: new Map() });
    expect(externalReferences(out)).toEqual([]);
    expect(out).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('renderChartSvg', () => {
  const rows = [{ ccy: 'EUR', side: 'asset', v: 10 }, { ccy: 'EUR', side: 'liability', v: -4 }, { ccy: 'USD', side: 'asset', v: 6 }, { ccy: 'USD', side: 'liability', v: -8 }];

  it('stacks positives up and negatives down, one legend entry a series', () => {
    const svg = renderChartSvg({ data: 'x', type: 'stacked-bar', x: 'ccy', y: 'v', series: 'side' }, rows);
    expect(svg.match(/<rect [^>]*fill="#/g)?.length).toBe(4 + 2); // four bars, two legend swatches
    expect(svg).toContain('>asset</text>');
    expect(svg).toContain('>liability</text>');
    expect(svg).toContain('<title>liability: -8</title>');
    expect(tags(svg).every((t) => !t.attrs.has('href'))).toBe(true);
  });

  it('draws a line per y column with a point per category; a gap breaks the line', () => {
    const svg = renderChartSvg({ data: 'x', type: 'line', x: 't', y: ['a', 'b'] }, [{ t: 1, a: 1, b: 2 }, { t: 2, a: null, b: 3 }, { t: 3, a: 2, b: 1 }]);
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg.match(/<circle /g)).toHaveLength(5);
    expect(svg).toMatch(/<path d="M[\d.]+ [\d.]+ M[\d.]+ [\d.]+"/);
  });

  it('says so when there is nothing to draw', () => {
    expect(renderChartSvg({ data: 'x', type: 'bar', x: 'a', y: 'b' }, [])).toContain('no data to draw');
  });

  it('picks round axis bounds that hold 0 and every value', () => {
    expect(niceScale(-3, 47)).toEqual({ min: -10, max: 50, ticks: [-10, 0, 10, 20, 30, 40, 50] });
    expect(niceScale(0.0012, 0.0187)).toEqual({ min: 0, max: 0.02, ticks: [0, 0.005, 0.01, 0.015, 0.02] });
    expect(niceScale(5, 5).min).toBe(0);
  });
});
