/** One saved version, read-only: its cells as text, nothing to edit or run. */
import type { NotebookDocument } from '@almready/notebooks';
import type { NotebookVersionContent } from '@almready/contracts';
import { formatDateTime } from '../../common/format.ts';

export function VersionView({ version, doc }: { version: NotebookVersionContent; doc: NotebookDocument }) {
  return (
    <div aria-label={`Version ${version.version}, read-only`}>
      <p className="readonly-banner">
        Read-only: version {version.version} “{version.name}”, saved by {version.savedBy} at {formatDateTime(version.savedAt)} · {doc.cells.length} cell(s)
      </p>
      <h3>{doc.title}</h3>
      <ol className="version-cells">
        {doc.cells.map((cell, i) => (
          <li key={cell.id} data-testid={`version-cell-${cell.id}`}>
            <div className="muted">[{i + 1}] {cell.kind}{cell.name ? ` · ${cell.name}` : ''}</div>
            <pre>{cell.source || ' '}</pre>
          </li>
        ))}
      </ol>
    </div>
  );
}
