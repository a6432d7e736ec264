/**
 * Monaco for notebook cells: `ts` cells are checked against the shipped `alm` API (notebooks/alm.d.ts,
 * bundled as text) plus declarations of the names other cells define; `sql` cells complete the
 * notebook's tables and columns. One setup per page; the open notebook feeds it (`setNotebookLanguageModel`).
 */
import almDts from '../../../../notebooks/alm.d.ts?raw';
import { ScriptTarget, typescriptDefaults } from 'monaco-editor/languages/features/typescript/register';
import { monaco } from '../../editor/monaco.ts';
import { sqlSuggestions, type CellProblem, type SqlTable } from './languageModel.ts';

let tables: readonly SqlTable[] = [];
let declarations: monaco.IDisposable | null = null;
let ready = false;


function setup(): void {
  if (ready) return;
  ready = true;
  typescriptDefaults.setCompilerOptions({
    target: ScriptTarget.ES2020,
    lib: ['es2022'], // the sandbox has no DOM: `document` and `fetch` must be errors
    strict: true,
    noEmit: true,
    allowNonTsExtensions: true,
    moduleDetection: 3 /* force: every cell is its own module, top-level names never collide */,
  });
  typescriptDefaults.setDiagnosticsOptions({ noSemanticValidation: false, noSyntaxValidation: false });
  typescriptDefaults.addExtraLib(almDts, 'file:///alm.d.ts');
  monaco.languages.registerCompletionItemProvider('sql', {
    triggerCharacters: ['.', ' '],
    provideCompletionItems(model, position) {
      const word = model.getWordUntilPosition(position);
      const range = { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: word.startColumn, endColumn: word.endColumn };
      const before = model.getValueInRange({ startLineNumber: 1, startColumn: 1, endLineNumber: position.lineNumber, endColumn: position.column });
      const kinds = { table: monaco.languages.CompletionItemKind.Struct, column: monaco.languages.CompletionItemKind.Field, keyword: monaco.languages.CompletionItemKind.Keyword };
      return {
        suggestions: sqlSuggestions(before, model.getValue(), tables).map((s, i) => ({
          label: s.label, kind: kinds[s.kind], detail: s.detail, insertText: s.label, range,
          sortText: `${s.kind === 'column' ? 0 : s.kind === 'table' ? 1 : 2}${String(i).padStart(4, '0')}`,
        })),
      };
    },
  });
}

/** The names other cells define (TypeScript) and the tables SQL can read, for the notebook on screen. */
export function setNotebookLanguageModel(dts: string, sql: readonly SqlTable[]): void {
  setup();
  tables = sql;
  declarations?.dispose();
  declarations = typescriptDefaults.addExtraLib(dts, 'file:///notebook-cells.d.ts');
}

const SERVER_OWNER = 'almready';


/** The markers of one cell's model (TypeScript's and the server's), as a list to show under it. */
export function cellProblems(path: string): CellProblem[] {
  const uri = monaco.Uri.parse(path);
  return monaco.editor.getModelMarkers({ resource: uri })
    // the server's own failure marker is shown once, as the cell's error, not again in this list
    .filter((m) => m.severity >= monaco.MarkerSeverity.Warning && m.owner !== SERVER_OWNER)
    .map((m) => ({ line: m.startLineNumber, column: m.startColumn, message: typeof m.message === 'string' ? m.message : String(m.message), severity: m.severity === monaco.MarkerSeverity.Error ? 'error' as const : 'warning' as const }))
    .sort((a, b) => a.line - b.line || a.column - b.column);
}

export function onMarkersChanged(listener: (paths: string[]) => void): monaco.IDisposable {
  return monaco.editor.onDidChangeMarkers((uris) => listener(uris.map((u) => u.toString())));
}

/** The server's failure of a cell as a marker at its line and column (or the first line). */
export function setServerMarker(path: string, failure: { message: string; line?: number; column?: number } | null): void {
  const model = monaco.editor.getModel(monaco.Uri.parse(path));
  if (!model) return;
  if (!failure) return monaco.editor.setModelMarkers(model, SERVER_OWNER, []);
  const line = Math.min(Math.max(1, failure.line ?? 1), model.getLineCount());
  const column = Math.max(1, failure.column ?? 1);
  const end = failure.column !== undefined ? Math.min(model.getLineMaxColumn(line), column + Math.max(1, model.getWordAtPosition({ lineNumber: line, column })?.word.length ?? 1)) : model.getLineMaxColumn(line);
  monaco.editor.setModelMarkers(model, SERVER_OWNER, [{ severity: monaco.MarkerSeverity.Error, message: failure.message, startLineNumber: line, startColumn: column, endLineNumber: line, endColumn: end }]);
}
