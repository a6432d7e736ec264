/**
 * One cell in the editor: its header (kind, name, state, Run, lazy, move, delete), its source in
 * Monaco (Shift+Enter runs it and its dependents), the problems of its source (TypeScript's
 * markers, the server's failure at its line) and its output.
 */
import { lazy, Suspense, useMemo } from 'react';
import { CELL_KINDS, inputDefault, isComputingKind, readInputSpec, renderMarkdown, type CellKind, type CellOutput, type InputValue, type NotebookCell } from '@almready/notebooks';
import type { DatasetMeta } from '../../api/types.ts';
import { EDITOR_LANGUAGE } from '../notebookEdits.ts';
import { CellOutputView, type OutputContext } from './CellOutputView.tsx';
import type { CellStatus } from './cellStatus.ts';
import { InputControl } from './InputControl.tsx';
import { cellPath, type CellProblem } from './languageModel.ts';
import { editorHeight } from './editorHeight.ts';
import { StatusBadge } from './StatusBadge.tsx';

// Monaco is loaded with the first cell that shows code: a report reader never downloads it
const CodeEditor = lazy(() => import('../../editor/CodeEditor.tsx').then((m) => ({ default: m.CodeEditor })));

export interface CellActions {
  change: (change: Partial<Pick<NotebookCell, 'source' | 'kind' | 'name'>> & { lazy?: boolean }) => void;
  move: (offset: -1 | 1) => void;
  remove: () => void;
  run: () => void;
  setInput: (value: InputValue) => void;
}

export function NotebookCellView({ cell, index, status, output, problems, ctx, canEdit, canRun, busy, nameOf, values, inputValue, datasets, actions }: {
  cell: NotebookCell; index: number; status: CellStatus; output: CellOutput | null | undefined; problems: CellProblem[];
  ctx: OutputContext; canEdit: boolean; canRun: boolean; busy: boolean; nameOf: (id: string) => string;
  values: Record<string, unknown>; inputValue: InputValue | undefined; datasets: DatasetMeta[]; actions: CellActions;
}) {
  const path = cellPath(cell.id, cell.kind);
  const language = EDITOR_LANGUAGE[cell.kind] === 'plaintext' ? 'json' : EDITOR_LANGUAGE[cell.kind];
  const inputSpec = cell.kind === 'input' ? readInputSpec(cell) : null;
  const stale = status.status === 'stale' || status.status === 'idle';
  // prose edited since it ran (or never run) is previewed here with the figures on screen
  const preview = useMemo(() => (cell.kind === 'markdown' && (stale || !output) ? renderMarkdown(cell.source, { values }) : null), [cell, stale, output, values]);
  const label = cell.name ?? `cell ${index + 1}`;

  return (
    <li className={`cell cell-${cell.kind} cell-state-${status.status}`} data-cell-id={cell.id} data-cell-name={cell.name ?? ''} aria-label={`Cell ${index + 1}${cell.name ? ` ${cell.name}` : ''}`}>
      <div className="cell-head">
        <span className="muted">[{index + 1}]</span>
        {canEdit ? (
          <>
            <select value={cell.kind} onChange={(e) => actions.change({ kind: e.target.value as CellKind })} aria-label="Cell kind">
              {CELL_KINDS.map((k) => <option key={k} value={k}>{k}</option>)}
            </select>
            <input className="cell-name" placeholder="result name" value={cell.name ?? ''} onChange={(e) => actions.change({ name: e.target.value })} aria-label="Cell name" />
          </>
        ) : <span>{cell.kind}{cell.name ? ` · ${cell.name}` : ''}</span>}
        <StatusBadge status={status} nameOf={nameOf} />
        <span className="spacer" />
        {canEdit && isComputingKind(cell.kind) ? (
          <label className="check" title="A lazy cell is marked stale instead of re-run when its inputs change">
            <input type="checkbox" checked={'lazy' in cell && cell.lazy === true} onChange={(e) => actions.change({ lazy: e.target.checked })} /> lazy
          </label>
        ) : null}
        {canRun ? <button type="button" className="small" onClick={actions.run} disabled={busy} aria-label={`Run ${label}`} title="Run this cell and what depends on it (Shift+Enter)">▶ Run</button> : null}
        {canEdit ? (
          <>
            <button type="button" className="link" onClick={() => actions.move(-1)} aria-label="Move up">↑</button>
            <button type="button" className="link" onClick={() => actions.move(1)} aria-label="Move down">↓</button>
            <button type="button" className="link danger" onClick={actions.remove}>Delete</button>
          </>
        ) : null}
      </div>
      {inputSpec?.ok && cell.name ? (
        <InputControl name={cell.name} spec={inputSpec.spec} value={inputValue ?? inputDefault(inputSpec.spec)} onChange={actions.setInput} disabled={!canRun || busy} datasets={datasets} />
      ) : null}
      {inputSpec && !inputSpec.ok ? <ul className="cell-problems">{inputSpec.errors.map((e) => <li key={e.field + e.message}>{e.field ? `${e.field}: ` : ''}{e.message}</li>)}</ul> : null}
      {cell.kind === 'input' && inputSpec?.ok && !cell.name ? <div className="cell-error">Give this input a name: cells read its value by that name.</div> : null}
      {(cell.kind !== 'input' || canEdit) ? (
        <details className="cell-source" open={cell.kind !== 'input' && cell.kind !== 'markdown' ? true : canEdit && (cell.source === '' || !output)}>
          <summary className="no-print">{cell.kind === 'input' ? 'spec' : cell.kind === 'markdown' ? 'source' : 'code'}</summary>
          <Suspense fallback={<pre className="code-loading">{cell.source}</pre>}><CodeEditor value={cell.source} language={language} readOnly={!canEdit} path={path} wordWrap={language === 'json'}
            onChange={(source) => { if (source !== cell.source) actions.change({ source }); }}
            onShiftEnter={canRun ? actions.run : undefined}
            height={editorHeight(cell.source, language === 'json')} ariaLabel={`Cell ${index + 1} source`} /></Suspense>
        </details>
      ) : null}
      {problems.length > 0 ? (
        <ul className="cell-problems" data-testid="cell-problems">
          {problems.map((p, i) => <li key={i} className={`problem-${p.severity}`}>Line {p.line}, column {p.column}: {p.message}</li>)}
        </ul>
      ) : null}
      {status.status === 'failed' ? <div className="cell-error" data-testid="cell-error">{status.message}</div> : null}
      {status.status === 'blocked' ? <div className="cell-error" data-testid="cell-error">Not run: {status.reason}</div> : null}
      {preview ? (
        <div className="nb-markdown"><div className="prose" dangerouslySetInnerHTML={{ __html: preview.html }} /></div>
      ) : output ? (
        <div className={`cell-output${status.status === 'stale' ? ' stale' : ''}`}><CellOutputView cellId={cell.id} output={output} ctx={ctx} /></div>
      ) : null}
    </li>
  );
}
