/**
 * The autosave of one open notebook as a pure `transition(state, event)`. The server keeps versions
 * and answers 409 when a save starts from a version that is no longer the newest; this machine
 * makes that a state the user resolves (keep mine on top of theirs, or take theirs) instead of a
 * lost edit. Local edits are never dropped by a transition: only `took-theirs` and `replaced`
 * (the user's own choice) leave the edits behind, and the hook keeps them in storage until then.
 */
import { assertNever } from '@almready/notebooks';

/** The version that won a conflict, as the server's 409 describes it. */
export interface TheirVersion { version: number; updatedBy: string; updatedAt: string }

export type AutosaveState =
  /** what is on screen is saved as `version` */
  | { status: 'saved'; version: number }
  /** edits since `version`, a save will follow */
  | { status: 'unsaved'; version: number }
  /** a save from `version` is on its way; `editedSince`: more edits came meanwhile */
  | { status: 'saving'; version: number; editedSince: boolean }
  /** someone saved `theirs` after our `version`: the user chooses */
  | { status: 'conflict'; version: number; theirs: TheirVersion }
  /** the save failed for another reason (network, server); edits are kept and retried */
  | { status: 'failed'; version: number; message: string };

export type AutosaveEvent =
  | { type: 'edited' }
  | { type: 'save-started' }
  | { type: 'save-succeeded'; version: number }
  | { type: 'save-conflicted'; theirs: TheirVersion }
  | { type: 'save-failed'; message: string }
  /** keep my edits: they become a save on top of their version */
  | { type: 'keep-mine' }
  /** drop my edits for their version */
  | { type: 'took-theirs'; version: number }
  /** the document was replaced by a saved one (a restored version, a loaded draft's base) */
  | { type: 'replaced'; version: number };

export function transition(state: AutosaveState, event: AutosaveEvent): AutosaveState {
  switch (event.type) {
    case 'edited':
      if (state.status === 'saved') return { status: 'unsaved', version: state.version };
      if (state.status === 'saving' && !state.editedSince) return { ...state, editedSince: true };
      return state;
    case 'save-started':
      return state.status === 'unsaved' || state.status === 'failed' ? { status: 'saving', version: state.version, editedSince: false } : state;
    case 'save-succeeded':
      if (state.status !== 'saving') return state;
      return state.editedSince ? { status: 'unsaved', version: event.version } : { status: 'saved', version: event.version };
    case 'save-conflicted':
      return state.status === 'saving' ? { status: 'conflict', version: state.version, theirs: event.theirs } : state;
    case 'save-failed':
      return state.status === 'saving' ? { status: 'failed', version: state.version, message: event.message } : state;
    case 'keep-mine':
      return state.status === 'conflict' ? { status: 'unsaved', version: state.theirs.version } : state;
    case 'took-theirs':
      return state.status === 'conflict' ? { status: 'saved', version: event.version } : state;
    case 'replaced':
      return { status: 'saved', version: event.version };
    default:
      return assertNever(event);
  }
}

/** Whether a save may start now (the hook's timer asks). */
export const canStartSave = (state: AutosaveState): boolean => state.status === 'unsaved' || state.status === 'failed';

/** Whether the screen holds edits the server does not have. */
export const hasLocalEdits = (state: AutosaveState): boolean => state.status !== 'saved';

/** The words beside the notebook's title. */
export function statusLabel(state: AutosaveState): string {
  switch (state.status) {
    case 'saved': return `Saved · version ${state.version}`;
    case 'unsaved': return 'Unsaved changes';
    case 'saving': return 'Saving…';
    case 'conflict': return `Not saved: ${state.theirs.updatedBy} saved version ${state.theirs.version}`;
    case 'failed': return `Not saved: ${state.message}`;
    default: return assertNever(state);
  }
}

/** The 409's details (backend notebook-store/routes.ts) as their version, or undefined for another 409. */
export function theirVersionOf(details: unknown): TheirVersion | undefined {
  const d = details as { currentVersion?: unknown; updatedBy?: unknown; updatedAt?: unknown } | null | undefined;
  if (!d || typeof d.currentVersion !== 'number') return undefined;
  return { version: d.currentVersion, updatedBy: typeof d.updatedBy === 'string' ? d.updatedBy : 'someone', updatedAt: typeof d.updatedAt === 'string' ? d.updatedAt : '' };
}
