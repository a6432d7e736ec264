/**
 * Unsaved edits kept in the browser's storage until the server has them (or the user drops them),
 * so a closed tab, a lost connection or an unresolved conflict never loses work. One entry per
 * notebook: the edited document and the version the edits started from.
 */
import { parseNotebook, type NotebookDocument } from '@almready/notebooks';

export interface Draft { baseVersion: number; content: NotebookDocument; savedAt: string }

type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const key = (notebookId: string) => `almready.notebook-draft.${notebookId}`;

function storage(): StorageLike | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined; // storage disabled by the browser's settings
  }
}

/** false when the browser refused (quota, private mode): the edits then live in memory only. */
export function writeDraft(notebookId: string, draft: Draft, store: StorageLike | undefined = storage()): boolean {
  try {
    store?.setItem(key(notebookId), JSON.stringify(draft));
    return store !== undefined;
  } catch {
    return false;
  }
}

export function readDraft(notebookId: string, store: StorageLike | undefined = storage()): Draft | undefined {
  const text = store?.getItem(key(notebookId));
  if (!text) return undefined;
  try {
    const raw = JSON.parse(text) as { baseVersion?: unknown; content?: unknown; savedAt?: unknown };
    const parsed = parseNotebook(raw.content);
    if (typeof raw.baseVersion !== 'number' || !parsed.ok) return undefined;
    return { baseVersion: raw.baseVersion, content: parsed.document, savedAt: typeof raw.savedAt === 'string' ? raw.savedAt : '' };
  } catch {
    return undefined;
  }
}

export function clearDraft(notebookId: string, store: StorageLike | undefined = storage()): void {
  store?.removeItem(key(notebookId));
}
