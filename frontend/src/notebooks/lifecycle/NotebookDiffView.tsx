/** A cell-by-cell comparison of two notebook documents (notebookDiff.ts), with line markers. */
import { useState } from 'react';
import type { NotebookDocument } from '@almready/notebooks';
import { diffCounts } from './lineDiff.ts';
import { diffNotebooks, type CellDiff } from './notebookDiff.ts';

const CHANGE_WORDS: Record<CellDiff['change'], string> = { same: 'unchanged', added: 'added', removed: 'removed', changed: 'changed' };
const MARKER = { same: ' ', added: '+', removed: '−' } as const;

export function NotebookDiffView({ before, after, beforeLabel, afterLabel }: { before: NotebookDocument; after: NotebookDocument; beforeLabel: string; afterLabel: string }) {
  const [showSame, setShowSame] = useState(false);
  const diff = diffNotebooks(before, after);
  const shown = diff.cells.filter((c) => showSame || c.change !== 'same' || c.moved);
  const { counts } = diff;
  return (
    <div className="diff" aria-label={`Differences from ${beforeLabel} to ${afterLabel}`}>
      <p className="muted">
        From <strong>{beforeLabel}</strong> to <strong>{afterLabel}</strong>: {counts.changed} changed, {counts.added} added, {counts.removed} removed, {counts.same} unchanged cell(s).
        {diff.titleBefore !== diff.titleAfter ? <> Title “{diff.titleBefore}” → “{diff.titleAfter}”.</> : null}
        {' '}<label className="check inline"><input type="checkbox" checked={showSame} onChange={(e) => setShowSame(e.target.checked)} /> show unchanged cells</label>
      </p>
      {shown.length === 0 ? <p className="muted">No cell differs.</p> : null}
      {shown.map((cell) => <CellDiffBlock key={cell.id} cell={cell} />)}
    </div>
  );
}

function CellDiffBlock({ cell }: { cell: CellDiff }) {
  const shownCell = cell.after ?? cell.before!;
  const { added, removed } = diffCounts(cell.lines);
  const notes = [
    cell.kindChanged ? `kind ${cell.before!.kind} → ${cell.after!.kind}` : '',
    cell.nameChanged ? `name ${cell.before!.name ?? '(none)'} → ${cell.after!.name ?? '(none)'}` : '',
    cell.moved ? 'moved' : '',
  ].filter(Boolean);
  return (
    <section className={`diff-cell change-${cell.change}`} data-testid={`diff-cell-${cell.id}`} data-change={cell.change}>
      <div className="diff-cell-head">
        <span className={`badge ${cell.change === 'removed' ? 'bad' : cell.change === 'added' ? 'good' : 'muted'}`}>{CHANGE_WORDS[cell.change]}</span>
        <span>{shownCell.kind}{shownCell.name ? ` · ${shownCell.name}` : ''}</span>
        {notes.length ? <span className="muted">{notes.join(' · ')}</span> : null}
        <span className="spacer" />
        {cell.change === 'changed' ? <span className="muted">+{added} −{removed} line(s)</span> : null}
      </div>
      {cell.change !== 'same' || cell.moved ? (
        <pre className="diff-lines">
          {cell.lines.map((line, i) => (
            <div key={i} className={`diff-line op-${line.op}`}><span className="marker">{MARKER[line.op]}</span>{line.text}</div>
          ))}
        </pre>
      ) : null}
    </section>
  );
}
