import { useEffect, useRef } from 'react';
import { monaco } from './monaco.ts';

export interface CodeEditorProps {
  value: string;
  language: 'sql' | 'typescript' | 'markdown' | 'plaintext' | 'json';
  onChange?: (value: string) => void;
  /** Ctrl/Cmd+Enter: run the SQL, save the cell… */
  onRun?: () => void;
  /** Shift+Enter (notebook cells: run this cell, then what depends on it) */
  onShiftEnter?: () => void;
  readOnly?: boolean;
  /** Wrap long lines at the editor's width (one-line JSON specs), instead of scrolling sideways. */
  wordWrap?: boolean;
  height?: number | string;
  ariaLabel?: string;
  /** The model's address (`file:///cells/<id>.ts`): the TypeScript service and markers find the cell by it. */
  path?: string;
  onMount?: (editor: monaco.editor.IStandaloneCodeEditor) => void;
}

export function CodeEditor({ value, language, onChange, onRun, onShiftEnter, readOnly = false, wordWrap = false, height = 200, ariaLabel, path, onMount }: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const callbacks = useRef({ onChange, onRun, onShiftEnter, onMount });
  callbacks.current = { onChange, onRun, onShiftEnter, onMount };

  useEffect(() => {
    if (!host.current) return;
    const uri = path ? monaco.Uri.parse(path) : undefined;
    if (uri) monaco.editor.getModel(uri)?.dispose(); // a model left by an earlier mount of the same cell
    const model = monaco.editor.createModel(value, language, uri);
    const instance = monaco.editor.create(host.current, {
      model,
      readOnly,
      automaticLayout: true,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      fontSize: 13,
      lineNumbers: 'on',
      ariaLabel: ariaLabel ?? `${language} editor`,
      theme: 'vs',
      fixedOverflowWidgets: true,
      wordWrap: wordWrap ? 'on' : 'off',
    });
    instance.onDidChangeModelContent(() => callbacks.current.onChange?.(instance.getValue()));
    // addAction, not addCommand: a command's keybinding is global to the page, so with several
    // editors (notebook cells) the last one created would answer every key press
    instance.addAction({ id: 'almready.run', label: 'Run', keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter], run: () => callbacks.current.onRun?.() });
    instance.addAction({
      id: 'almready.run-cell', label: 'Run this cell and what depends on it', keybindings: [monaco.KeyMod.Shift | monaco.KeyCode.Enter],
      run: () => {
        if (callbacks.current.onShiftEnter) callbacks.current.onShiftEnter();
        else instance.trigger('keyboard', 'type', { text: '\n' });
      },
    });
    editor.current = instance;
    callbacks.current.onMount?.(instance);
    return () => {
      instance.getModel()?.dispose();
      instance.dispose();
      editor.current = null;
    };
    // The editor is created once per language and address; value changes from outside are applied below.
  }, [language, path]);

  useEffect(() => {
    const instance = editor.current;
    if (instance && instance.getValue() !== value) instance.setValue(value);
  }, [value]);

  useEffect(() => {
    editor.current?.updateOptions({ readOnly });
  }, [readOnly]);

  return <div className="code-editor" ref={host} style={{ height }} />;
}
