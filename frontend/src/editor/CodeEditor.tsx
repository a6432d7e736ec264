import { useEffect, useRef } from 'react';
import { monaco } from './monaco.ts';

export interface CodeEditorProps {
  value: string;
  language: 'sql' | 'typescript' | 'markdown' | 'plaintext';
  onChange?: (value: string) => void;
  /** Ctrl/Cmd+Enter: run the SQL, save the cell… */
  onRun?: () => void;
  readOnly?: boolean;
  height?: number | string;
  ariaLabel?: string;
}

export function CodeEditor({ value, language, onChange, onRun, readOnly = false, height = 200, ariaLabel }: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const callbacks = useRef({ onChange, onRun });
  callbacks.current = { onChange, onRun };

  useEffect(() => {
    if (!host.current) return;
    const instance = monaco.editor.create(host.current, {
      value,
      language,
      readOnly,
      automaticLayout: true,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      fontSize: 13,
      lineNumbers: 'on',
      ariaLabel: ariaLabel ?? `${language} editor`,
      theme: 'vs',
    });
    instance.onDidChangeModelContent(() => callbacks.current.onChange?.(instance.getValue()));
    instance.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => callbacks.current.onRun?.());
    editor.current = instance;
    return () => {
      instance.getModel()?.dispose();
      instance.dispose();
      editor.current = null;
    };
    // The editor is created once; value changes from outside are applied below.
  }, [language]);

  useEffect(() => {
    const instance = editor.current;
    if (instance && instance.getValue() !== value) instance.setValue(value);
  }, [value]);

  useEffect(() => {
    editor.current?.updateOptions({ readOnly });
  }, [readOnly]);

  return <div className="code-editor" ref={host} style={{ height }} />;
}
