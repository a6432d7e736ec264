/**
 * Monaco bundled from the local `monaco-editor` package (no CDN: bank networks block them).
 * Only the editor API plus the SQL and TypeScript languages are loaded; workers come from Vite's
 * `?worker` imports so they ship inside `dist` next to the app.
 */
import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/languages/definitions/sql/register';
import 'monaco-editor/languages/definitions/typescript/register';
import 'monaco-editor/languages/definitions/markdown/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';

self.MonacoEnvironment = {
  getWorker: () => new EditorWorker(),
};

export { monaco };
