/**
 * The server's 409 as a choice: keep my edits as a new version on top of theirs, take theirs, or
 * look at the differences first. Until the user chooses, the edits stay on screen and in storage.
 */
import { useState } from 'react';
import { parseNotebook, type NotebookDocument } from '@almready/notebooks';
import { api, type ApiFailure } from '../../api/http.ts';
import type { Notebook } from '../../api/types.ts';
import { ErrorBanner } from '../../common/ErrorBanner.tsx';
import { formatDateTime } from '../../common/format.ts';
import { Modal } from '../../common/Modal.tsx';
import type { TheirVersion } from './autosaveState.ts';
import { NotebookDiffView } from './NotebookDiffView.tsx';

export function ConflictDialog({ url, theirs, mine, keepMine, takeTheirs, onLater }: {
  url: string;
  theirs: TheirVersion;
  mine: NotebookDocument;
  keepMine: () => Promise<void>;
  takeTheirs: () => Promise<ApiFailure | null>;
  onLater: () => void;
}) {
  const [theirDoc, setTheirDoc] = useState<NotebookDocument | null>(null);
  const [error, setError] = useState<ApiFailure | string | null>(null);
  const [busy, setBusy] = useState(false);

  async function showDiff() {
    const result = await api.get<{ notebook: Notebook }>(url);
    if (!result.ok) return setError(result.error);
    const parsed = parseNotebook(result.value.notebook.content);
    if (!parsed.ok) return setError(parsed.reason);
    setTheirDoc(parsed.document);
  }

  const act = (action: () => Promise<unknown>) => async () => {
    setBusy(true);
    const failure = await action();
    setBusy(false);
    if (failure) setError(failure as ApiFailure);
  };

  return (
    <Modal title="Someone else saved this notebook" onClose={onLater} wide={theirDoc !== null}>
      <div className="conflict">
        <p>
          <strong>{theirs.updatedBy}</strong> saved version {theirs.version}{theirs.updatedAt ? ` at ${formatDateTime(theirs.updatedAt)}` : ''} while you were editing.
          Your edits are not lost: they stay on screen and in this browser until you choose.
        </p>
        <div className="choice-buttons">
          <button type="button" className="primary" disabled={busy} onClick={act(keepMine)}>Keep mine as a new version</button>
          <button type="button" disabled={busy} onClick={act(takeTheirs)}>Take theirs (drop my edits)</button>
          <button type="button" disabled={busy} onClick={() => (theirDoc ? setTheirDoc(null) : void showDiff())}>{theirDoc ? 'Hide the differences' : 'See the differences'}</button>
        </div>
        <ErrorBanner error={error} onClose={() => setError(null)} />
        {theirDoc ? <NotebookDiffView before={theirDoc} after={mine} beforeLabel={`their version ${theirs.version}`} afterLabel="your edits" /> : null}
      </div>
    </Modal>
  );
}
