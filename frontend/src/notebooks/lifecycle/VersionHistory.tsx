/**
 * A notebook's saved versions: who saved each and when; open one read-only, compare two cell by
 * cell, restore one (saved as a new version on top, so the history stays whole).
 */
import { useState } from 'react';
import { parseNotebook, type NotebookDocument } from '@almready/notebooks';
import type { NotebookVersion, NotebookVersionContent } from '@almready/contracts';
import { api, type ApiFailure } from '../../api/http.ts';
import type { Notebook } from '../../api/types.ts';
import { ErrorBanner } from '../../common/ErrorBanner.tsx';
import { formatDateTime } from '../../common/format.ts';
import { Modal } from '../../common/Modal.tsx';
import { useApi } from '../../common/useApi.ts';
import { NotebookDiffView } from './NotebookDiffView.tsx';
import { VersionView } from './VersionView.tsx';

interface LoadedVersion { meta: NotebookVersionContent; doc: NotebookDocument }

type View = { kind: 'list' } | { kind: 'open'; version: LoadedVersion } | { kind: 'compare'; before: LoadedVersion; after: LoadedVersion };

async function loadVersion(url: string, version: number): Promise<{ ok: true; value: LoadedVersion } | { ok: false; error: ApiFailure | string }> {
  const result = await api.get<{ version: NotebookVersionContent }>(`${url}/versions/${version}`);
  if (!result.ok) return result;
  const parsed = parseNotebook(result.value.version.content);
  if (!parsed.ok) return { ok: false, error: `Version ${version} cannot be read: ${parsed.reason}` };
  return { ok: true, value: { meta: result.value.version, doc: parsed.document } };
}

export function VersionHistory({ url, currentVersion, hasLocalEdits, canRestore, onRestored, onClose }: {
  url: string;
  currentVersion: number;
  hasLocalEdits: boolean;
  canRestore: boolean;
  onRestored: (notebook: Notebook) => void;
  onClose: () => void;
}) {
  const list = useApi(() => api.get<{ versions: NotebookVersion[] }>(`${url}/versions`), `${url}@${currentVersion}`);
  const [picked, setPicked] = useState<number[]>([]);
  const [view, setView] = useState<View>({ kind: 'list' });
  const [error, setError] = useState<ApiFailure | string | null>(null);
  const [busy, setBusy] = useState(false);

  const toggle = (version: number) => setPicked((p) => (p.includes(version) ? p.filter((v) => v !== version) : [...p, version].slice(-2)));

  async function open(version: number) {
    const loaded = await loadVersion(url, version);
    if (!loaded.ok) return setError(loaded.error);
    setError(null);
    setView({ kind: 'open', version: loaded.value });
  }

  async function compare() {
    const [a, b] = [...picked].sort((x, y) => x - y);
    if (a === undefined || b === undefined) return;
    const [before, after] = await Promise.all([loadVersion(url, a), loadVersion(url, b)]);
    if (!before.ok) return setError(before.error);
    if (!after.ok) return setError(after.error);
    setError(null);
    setView({ kind: 'compare', before: before.value, after: after.value });
  }

  async function restore(version: LoadedVersion) {
    if (hasLocalEdits) return setError('Your edits are not saved yet: wait for the autosave (or resolve the conflict) before restoring a version.');
    setBusy(true);
    const result = await api.put<{ notebook: Notebook }>(url, { version: currentVersion, content: version.doc });
    setBusy(false);
    if (!result.ok) {
      list.reload();
      return setError(result.error.status === 409 ? `${result.error.message} Nothing was restored.` : result.error);
    }
    onRestored(result.value.notebook);
    onClose();
  }

  const restoreButton = (version: LoadedVersion) => (canRestore && version.meta.version !== currentVersion ? (
    <button type="button" disabled={busy} onClick={() => void restore(version)}>Restore version {version.meta.version}</button>
  ) : null);

  return (
    <Modal title="Version history" onClose={onClose} wide>
      <ErrorBanner error={error ?? list.error} onClose={() => setError(null)} />
      {view.kind === 'list' ? (
        <>
          <p className="muted">Every save is a version. Tick two to compare them; restoring saves the old content as a new version.</p>
          <table className="table compact" aria-label="Versions">
            <thead><tr><th>Compare</th><th className="num">Version</th><th>Name</th><th>Saved by</th><th>Saved at</th><th /></tr></thead>
            <tbody>
              {(list.data?.versions ?? []).map((v) => (
                <tr key={v.version} data-testid={`version-${v.version}`}>
                  <td><input type="checkbox" aria-label={`Compare version ${v.version}`} checked={picked.includes(v.version)} onChange={() => toggle(v.version)} /></td>
                  <td className="num">{v.version}{v.version === currentVersion ? ' (current)' : ''}</td>
                  <td>{v.name}</td>
                  <td>{v.savedBy}</td>
                  <td>{formatDateTime(v.savedAt)}</td>
                  <td className="actions"><button type="button" className="link" onClick={() => void open(v.version)}>Open version {v.version}</button></td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="choice-buttons">
            <button type="button" disabled={picked.length !== 2} onClick={() => void compare()}>
              {picked.length === 2 ? `Compare versions ${Math.min(...picked)} and ${Math.max(...picked)}` : 'Compare two versions'}
            </button>
          </div>
        </>
      ) : (
        <div className="choice-buttons">
          <button type="button" className="link" onClick={() => setView({ kind: 'list' })}>← All versions</button>
          {view.kind === 'open' ? restoreButton(view.version) : null}
        </div>
      )}
      {view.kind === 'open' ? <VersionView version={view.version.meta} doc={view.version.doc} /> : null}
      {view.kind === 'compare' ? (
        <NotebookDiffView before={view.before.doc} after={view.after.doc}
          beforeLabel={`version ${view.before.meta.version} (${view.before.meta.savedBy}, ${formatDateTime(view.before.meta.savedAt)})`}
          afterLabel={`version ${view.after.meta.version} (${view.after.meta.savedBy}, ${formatDateTime(view.after.meta.savedAt)})`} />
      ) : null}
    </Modal>
  );
}
