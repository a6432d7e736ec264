/**
 * Monaco bundled from the local `monaco-editor` package (no CDN: bank networks block them).
 * Only the editor API plus the SQL, TypeScript and Markdown languages are loaded, and the
 * TypeScript language service (completion, hover, type errors for notebook `ts` cells); workers
 * come from Vite's `?worker` imports so they ship inside `dist` next to the app.
 */
import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/languages/definitions/sql/register';
import 'monaco-editor/languages/definitions/typescript/register';
import 'monaco-editor/languages/definitions/markdown/register';
import 'monaco-editor/languages/features/typescript/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import TsWorker from 'monaco-editor/languages/features/typescript/ts.worker?worker';

self.MonacoEnvironment = {
  getWorker: (_id: string, label: string) => (label === 'typescript' || label === 'javascript' ? new TsWorker() : new EditorWorker()),
};

export { monaco };
