/**
 * Beside a notebook's title: whether it is saved, the conflict choice when the server refused a
 * save, the version history, and the scenario editor. Everything here works through the autosave
 * hook, so the editor only passes its document along.
 */
import { lazy, Suspense, useEffect, useState } from 'react';
import type { NotebookCell, NotebookDocument } from '@almready/notebooks';
import type { Workspace } from '../../api/types.ts';
import { formatDateTime } from '../../common/format.ts';
import { hasLocalEdits, statusLabel } from './autosaveState.ts';
import { ConflictDialog } from './ConflictDialog.tsx';
import type { Autosave } from './useAutosave.ts';
import { VersionHistory } from './VersionHistory.tsx';
import './lifecycle.css';

const ScenarioEditor = lazy(() => import('../../scenarios/ScenarioEditor.tsx').then((m) => ({ default: m.ScenarioEditor })));

export function NotebookLifecycleBar({ autosave, url, workspace, canEdit, doc, onSaveCell }: {
  autosave: Autosave;
  url: string;
  workspace: Workspace;
  canEdit: boolean;
  doc: NotebookDocument | null;
  /** a cell from the scenario editor: replaces the cell with its id, else is appended */
  onSaveCell: (cell: NotebookCell) => void;
}) {
  const { state } = autosave;
  const [panel, setPanel] = useState<'none' | 'history' | 'scenario'>('none');
  const [conflictOpen, setConflictOpen] = useState(true);
  // a new conflict opens the choice again
  const conflictVersion = state?.status === 'conflict' ? state.theirs.version : null;
  useEffect(() => {
    if (conflictVersion !== null) setConflictOpen(true);
  }, [conflictVersion]);

  if (!canEdit || !state) return null;
  return (
    <>
      <span className={`save-status status-${state.status}`} role="status" aria-label="Save status">{statusLabel(state)}</span>
      {autosave.restoredDraftAt ? <span className="muted" title="Edits kept in this browser since they were last made">restored unsaved edits of {formatDateTime(autosave.restoredDraftAt)}</span> : null}
      <div className="buttons">
        {state.status === 'conflict' ? <button type="button" className="primary" onClick={() => setConflictOpen(true)}>Resolve the conflict</button> : null}
        {state.status === 'unsaved' || state.status === 'failed' ? <button type="button" onClick={() => void autosave.saveNow()}>Save now</button> : null}
        <button type="button" onClick={() => setPanel('history')}>History</button>
        <button type="button" onClick={() => setPanel('scenario')}>Scenario editor</button>
      </div>
      {state.status === 'conflict' && conflictOpen && doc ? (
        <ConflictDialog url={url} theirs={state.theirs} mine={doc} keepMine={autosave.keepMine} takeTheirs={autosave.takeTheirs} onLater={() => setConflictOpen(false)} />
      ) : null}
      {panel === 'history' ? (
        <VersionHistory url={url} currentVersion={state.version} hasLocalEdits={hasLocalEdits(state)} canRestore={canEdit}
          onRestored={autosave.replaced} onClose={() => setPanel('none')} />
      ) : null}
      {panel === 'scenario' && doc ? (
        <Suspense fallback={<p className="muted">Loading the scenario editor…</p>}>
          <ScenarioEditor workspace={workspace} doc={doc} onSave={(cell) => { onSaveCell(cell); setPanel('none'); }} onClose={() => setPanel('none')} />
        </Suspense>
      ) : null}
    </>
  );
}
