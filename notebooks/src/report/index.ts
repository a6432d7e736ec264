/** Reports of notebook outputs: the document (`schema.ts`), its builder (`build.ts`) and the self-contained HTML export (`html.ts`). */
export * from './schema.ts';
export * from './build.ts';
export * from './format.ts';
export { renderChartSvg, niceScale } from './svg-chart.ts';
export { renderReportHtml, reportHtml } from './html.ts';
export { externalReferences, htmlTags } from './offline-check.ts';
