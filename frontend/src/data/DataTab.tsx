import { useState } from 'react';
import { api, wsPath, type ApiFailure } from '../api/http.ts';
import { hasRole, type DatasetMeta } from '../api/types.ts';
import { ErrorBanner } from '../common/ErrorBanner.tsx';
import { formatAmount, formatBytes, formatDateTime } from '../common/format.ts';
import type { WorkspaceContext } from '../workspace/WorkspacePage.tsx';
import { UploadWizard } from './UploadWizard.tsx';
import { ValidationErrors } from './ValidationErrors.tsx';

export function DataTab({ workspace, datasets, datasetId, setDatasetId, reloadDatasets }: WorkspaceContext) {
  const canEdit = hasRole(workspace.role, 'edit');
  const [uploading, setUploading] = useState(false);
  const [error, setError] = useState<ApiFailure | null>(null);
  const selected = datasets.find((d) => d.id === datasetId) ?? null;

  async function remove(dataset: DatasetMeta) {
    if (!window.confirm(`Delete dataset "${dataset.name}"? Runs made on it keep their results.`)) return;
    const result = await api.del(wsPath(workspace.id, 'datasets', dataset.id));
    if (!result.ok) return setError(result.error);
    reloadDatasets();
  }

  return (
    <section>
      <div className="section-head">
        <h2>Datasets</h2>
        {canEdit ? <button type="button" className="primary" onClick={() => setUploading(true)}>Upload dataset</button> : null}
      </div>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {uploading ? (
        <UploadWizard workspaceId={workspace.id} onClose={() => setUploading(false)}
          onUploaded={(dataset) => { setUploading(false); reloadDatasets(dataset.id); }} />
      ) : null}
      {datasets.length === 0 ? <p className="muted">No dataset in this workspace yet.</p> : (
        <table className="table datasets">
          <thead>
            <tr><th>Name</th><th>As of</th><th className="num">Positions</th><th className="num">Curves</th><th className="num">Schedules</th><th>Content hash</th><th>Created</th><th /></tr>
          </thead>
          <tbody>
            {datasets.map((d) => (
              <tr key={d.id} className={d.id === datasetId ? 'selected' : ''} onClick={() => setDatasetId(d.id)}>
                <td>{d.name}</td>
                <td>{d.asOf}</td>
                <td className="num">{formatAmount(d.rows.positions)}</td>
                <td className="num">{formatAmount(d.rows.curves)}</td>
                <td className="num">{formatAmount(d.rows.schedules)}</td>
                <td><code title={d.contentHash}>{d.contentHash.slice(0, 12)}</code></td>
                <td>{formatDateTime(d.createdAt)}</td>
                <td>{canEdit ? <button type="button" className="link danger" onClick={(e) => { e.stopPropagation(); void remove(d); }}>Delete</button> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {selected ? <DatasetDetails dataset={selected} /> : null}
    </section>
  );
}

function DatasetDetails({ dataset }: { dataset: DatasetMeta }) {
  return (
    <div className="details">
      <h3>{dataset.name}: totals by side and currency</h3>
      <table className="table compact">
        <thead><tr><th>Side</th><th>Currency</th><th className="num">Contracts</th><th className="num">Notional</th></tr></thead>
        <tbody>
          {dataset.totals.map((t) => (
            <tr key={`${t.side}-${t.currency}`}><td>{t.side}</td><td>{t.currency}</td><td className="num">{formatAmount(t.count)}</td><td className="num">{formatAmount(t.notional)}</td></tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        Files: {dataset.sourceFiles.map((f) => `${f.field}: ${f.name} (${formatBytes(f.bytes)})`).join(' · ') || '—'}
        {dataset.skipped?.count ? ` · ${dataset.skipped.count} invalid rows skipped at import` : ''}
      </p>
      {dataset.skipped?.errors.length ? (
        <ValidationErrors skipped errors={dataset.skipped.errors} total={dataset.skipped.errors.length}
          message={`${dataset.skipped.count} invalid ${dataset.skipped.count === 1 ? 'row' : 'rows'} skipped at import`} fileName={`${dataset.name}-skipped-rows.csv`} />
      ) : null}
    </div>
  );
}
