import { describe, expect, it } from 'vitest';
import type { CellOutput } from '@almready/notebooks';
import { cellHtml, reportHtml } from './reportHtml.ts';

const table = { id: 'nb_1', name: 'by_ccy', rowCount: 250, columns: [{ name: 'currency', type: 'VARCHAR' }, { name: 'notional', type: 'DOUBLE' }, { name: 'rate', type: 'DOUBLE' }], firstPage: [{ currency: '<b>EUR</b>', notional: 1234567.4, rate: 0.0005 }] };

describe('the exported report', () => {
  it('writes tables formatted and escaped, metrics large, and never the code', () => {
    const sql: CellOutput = { kind: 'sql', table };
    const html = cellHtml({ id: 's', kind: 'sql', name: 'by_ccy', source: 'SELECT secret_code FROM positions' }, sql, []);
    expect(html).toContain('<td>&lt;b&gt;EUR&lt;/b&gt;</td>');
    expect(html).toContain('<td class="num">1,234,567</td>');
    expect(html).toContain('<td class="num">0.05%</td>');
    expect(html).toContain('The first 1 of 250 rows.');
    expect(html).not.toContain('secret_code');
    const ts: CellOutput = { kind: 'ts', values: {}, tables: {}, console: [{ level: 'log', text: 'debug line' }], views: [{ type: 'metric', label: 'ΔEVE', value: -1500000, format: 'money' }, { type: 'chart', spec: {} }] };
    const tsHtml = cellHtml({ id: 't', kind: 'ts', source: 'const hidden = 1;' }, ts, ['data:image/png;base64,AAAA', 'javascript:alert(1)']);
    expect(tsHtml).toContain('<div class="v">-1,500,000</div><div class="l">ΔEVE</div>');
    expect(tsHtml).toContain('<img alt="chart" src="data:image/png;base64,AAAA">');
    expect(tsHtml).not.toContain('debug line');
    expect(cellHtml({ id: 'c', kind: 'chart', source: '{}' }, { kind: 'chart', spec: { data: 'x', type: 'bar', x: 'a', y: 'b' }, data: { rows: [] } }, ['javascript:alert(1)'])).not.toContain('javascript');
  });

  it('is one offline page: no script, a CSP that loads nothing, the footer names version, dataset, engine and time', () => {
    const page = reportHtml(['<p>x</p>', ''], { title: 'IRRBB <report>', version: 3, published: '2026-12-04 20:00', dataset: 'demo · as of 2025-06-30', engineVersion: '0.1.0', ranAt: '2026-12-04 20:01' });
    expect(page).not.toMatch(/<script/i);
    expect(page).toContain("default-src 'none'");
    expect(page).toContain('<title>IRRBB &lt;report&gt;</title>');
    expect(page).toContain('Version 3 · published 2026-12-04 20:00 · dataset demo · as of 2025-06-30 · engine 0.1.0 · ran 2026-12-04 20:01');
    expect(page.match(/<section>/g)).toHaveLength(1);
  });
});
