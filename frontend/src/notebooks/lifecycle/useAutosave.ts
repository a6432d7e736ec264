/**
 * Autosave for the open notebook: 1.5 s after the last edit, and when the user leaves (the editor
 * unmounts or the tab is hidden). Every edit is also written to the browser's storage (draftStore)
 * until the server has it. A 409 stops autosaving and waits for the user's choice (autosaveState).
 * Opening a notebook with a stored draft brings the draft back: on the same version as unsaved
 * edits, on an older one as a conflict with the newer saved version.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { parseNotebook, type NotebookDocument } from '@almready/notebooks';
import { api, type ApiFailure } from '../../api/http.ts';
import type { Notebook } from '../../api/types.ts';
import { canStartSave, hasLocalEdits, theirVersionOf, transition, type AutosaveEvent, type AutosaveState } from './autosaveState.ts';
import { clearDraft, readDraft, writeDraft } from './draftStore.ts';

export const AUTOSAVE_DELAY_MS = 1500;
const RETRY_DELAY_MS = 10_000;

export interface AutosaveOptions {
  /** the notebook's API path (GET, PUT) */
  url: string;
  notebookId: string;
  /** what is on screen; null until loaded */
  doc: NotebookDocument | null;
  /** the notebook as the editor loaded it; the hook starts from its version */
  loaded: Notebook | null;
  enabled: boolean;
  /** puts a document on screen (their version, a restored version, a stored draft) */
  setDoc: (doc: NotebookDocument) => void;
  /** the server answered a new notebook state (saved, taken, restored) */
  onNotebook: (notebook: Notebook) => void;
  delayMs?: number;
}

export interface Autosave {
  state: AutosaveState | null;
  /**
   * Saves pending edits now (Save now, leaving, before running a cell): the notebook the server
   * answered, or null when nothing was saved (nothing pending, a conflict waiting, a failure; see `state`).
   */
  saveNow: () => Promise<Notebook | null>;
  /**
   * Before a run (the server runs saved versions only): saves what is on screen, including an edit
   * made a moment ago that the autosave has not noticed yet (`latest`: the document as the edit left
   * it, when the screen has not re-rendered yet); the version that holds it, or null when
   * it could not be saved (a conflict waiting, a failure; see `state`).
   */
  saveForRun: (latest?: NotebookDocument) => Promise<number | null>;
  keepMine: () => Promise<void>;
  /** null when done, else why their version could not be read */
  takeTheirs: () => Promise<ApiFailure | null>;
  /** the server now holds `notebook` and the screen shows it (a restore) */
  replaced: (notebook: Notebook) => void;
  /** the draft brought back on opening, if any */
  restoredDraftAt: string | null;
}

const json = (doc: NotebookDocument) => JSON.stringify(doc);

export function useAutosave(options: AutosaveOptions): Autosave {
  const { url, notebookId, doc, loaded, enabled, delayMs = AUTOSAVE_DELAY_MS } = options;
  const [state, setState] = useState<AutosaveState | null>(null);
  const [editTick, setEditTick] = useState(0);
  const [restoredDraftAt, setRestoredDraftAt] = useState<string | null>(null);
  const stateRef = useRef<AutosaveState | null>(null);
  /** the document the server holds at stateRef's version, as JSON */
  const baseline = useRef<string | null>(null);
  const docRef = useRef(doc);
  /** the document a save in flight is sending, as JSON */
  const sending = useRef<string | null>(null);
  docRef.current = doc;
  const callbacks = useRef(options);
  callbacks.current = options;

  const dispatch = useCallback((event: AutosaveEvent) => {
    if (!stateRef.current) return;
    stateRef.current = transition(stateRef.current, event);
    setState(stateRef.current);
  }, []);

  // Start from the loaded version, once per notebook; a stored draft comes back on top of it.
  useEffect(() => {
    if (!loaded || !doc || stateRef.current) return;
    baseline.current = json(doc);
    stateRef.current = { status: 'saved', version: loaded.version };
    const draft = enabled ? readDraft(notebookId) : undefined;
    if (draft && json(draft.content) !== baseline.current) {
      setRestoredDraftAt(draft.savedAt);
      if (draft.baseVersion === loaded.version) stateRef.current = { status: 'unsaved', version: loaded.version };
      else stateRef.current = { status: 'conflict', version: draft.baseVersion, theirs: { version: loaded.version, updatedBy: loaded.updatedBy, updatedAt: loaded.updatedAt } };
      callbacks.current.setDoc(draft.content);
    } else if (draft) clearDraft(notebookId);
    setState(stateRef.current);
  }, [loaded, doc, notebookId, enabled]);

  // Each edit: remember it in storage, (re)start the timer.
  useEffect(() => {
    const current = stateRef.current;
    if (!doc || !current || baseline.current === null || !enabled) return;
    // unchanged, or exactly what a save in flight is sending (a run's save can start before this effect sees the edit)
    const now = json(doc);
    if (now === baseline.current || now === sending.current) return;
    writeDraft(notebookId, { baseVersion: current.version, content: doc, savedAt: new Date().toISOString() });
    dispatch({ type: 'edited' });
    setEditTick((n) => n + 1);
  }, [doc, notebookId, enabled, dispatch]);

  const inFlight = useRef<Promise<Notebook | null> | null>(null);

  const putOnce = useCallback(async (): Promise<Notebook | null> => {
    const current = stateRef.current;
    const content = docRef.current;
    if (!current || !content || !canStartSave(current)) return null;
    dispatch({ type: 'save-started' });
    const sent = json(content);
    sending.current = sent;
    const result = await api.put<{ notebook: Notebook }>(callbacks.current.url, { version: current.version, content }).finally(() => { sending.current = null; });
    if (result.ok) {
      baseline.current = sent;
      dispatch({ type: 'save-succeeded', version: result.value.notebook.version });
      if (stateRef.current?.status === 'saved') clearDraft(callbacks.current.notebookId);
      else writeDraft(callbacks.current.notebookId, { baseVersion: result.value.notebook.version, content: docRef.current!, savedAt: new Date().toISOString() });
      callbacks.current.onNotebook(result.value.notebook);
      return result.value.notebook;
    }
    const theirs = result.error.status === 409 ? theirVersionOf(result.error.details) : undefined;
    if (theirs) dispatch({ type: 'save-conflicted', theirs });
    else dispatch({ type: 'save-failed', message: result.error.message });
    return null;
  }, [dispatch]);

  // One save at a time: a call during a save waits for it, then saves what was edited meanwhile.
  const saveNow = useCallback(async (): Promise<Notebook | null> => {
    let previous: Notebook | null = null;
    while (inFlight.current) previous = await inFlight.current;
    if (!stateRef.current || !canStartSave(stateRef.current)) return previous;
    const save = putOnce();
    inFlight.current = save;
    try {
      return await save;
    } finally {
      inFlight.current = null;
    }
  }, [putOnce]);

  const saveForRun = useCallback(async (latest?: NotebookDocument): Promise<number | null> => {
    if (latest) docRef.current = latest;
    const current = stateRef.current;
    if (current?.status === 'saved' && docRef.current && baseline.current !== null && json(docRef.current) !== baseline.current) dispatch({ type: 'edited' });
    const saved = await saveNow();
    const after = stateRef.current;
    if (!after || after.status !== 'saved') return null;
    return saved?.version ?? after.version;
  }, [dispatch, saveNow]);

  // The debounce: a save `delayMs` after the last edit; a failed save is retried later.
  useEffect(() => {
    if (!state || !enabled || !canStartSave(state)) return;
    const timer = setTimeout(() => void saveNow(), state.status === 'failed' ? RETRY_DELAY_MS : delayMs);
    return () => clearTimeout(timer);
  }, [state, editTick, enabled, delayMs, saveNow]);

  // Leaving: the tab hidden saves now; closing it with edits asks first (the draft is kept anyway);
  // leaving the editor inside the app saves what is pending.
  useEffect(() => {
    if (!enabled) return;
    const onHidden = () => {
      if (document.visibilityState === 'hidden') void saveNow();
    };
    const onUnload = (event: BeforeUnloadEvent) => {
      if (stateRef.current && hasLocalEdits(stateRef.current)) event.preventDefault();
    };
    document.addEventListener('visibilitychange', onHidden);
    window.addEventListener('beforeunload', onUnload);
    return () => {
      document.removeEventListener('visibilitychange', onHidden);
      window.removeEventListener('beforeunload', onUnload);
      void saveNow();
    };
  }, [enabled, saveNow]);

  const keepMine = useCallback(async (): Promise<void> => {
    dispatch({ type: 'keep-mine' });
    const current = docRef.current;
    // the draft now starts from their version: a reload brings back "unsaved", not the old conflict
    if (current && stateRef.current) writeDraft(callbacks.current.notebookId, { baseVersion: stateRef.current.version, content: current, savedAt: new Date().toISOString() });
    await saveNow();
  }, [dispatch, saveNow]);

  const replaced = useCallback((notebook: Notebook) => {
    const parsed = parseNotebook(notebook.content);
    if (!parsed.ok) return;
    baseline.current = json(parsed.document);
    clearDraft(callbacks.current.notebookId);
    if (stateRef.current?.status === 'conflict') dispatch({ type: 'took-theirs', version: notebook.version });
    else dispatch({ type: 'replaced', version: notebook.version });
    callbacks.current.setDoc(parsed.document);
    callbacks.current.onNotebook(notebook);
  }, [dispatch]);

  const takeTheirs = useCallback(async () => {
    const result = await api.get<{ notebook: Notebook }>(callbacks.current.url);
    if (!result.ok) return result.error;
    replaced(result.value.notebook);
    return null;
  }, [replaced]);

  return { state, saveNow, saveForRun, keepMine, takeTheirs, replaced, restoredDraftAt };
}
