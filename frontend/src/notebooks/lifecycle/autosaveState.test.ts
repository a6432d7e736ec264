import { describe, expect, it } from 'vitest';
import { canStartSave, hasLocalEdits, statusLabel, theirVersionOf, transition, type AutosaveEvent, type AutosaveState } from './autosaveState.ts';

const run = (state: AutosaveState, ...events: AutosaveEvent[]) => events.reduce(transition, state);
const theirs = { version: 5, updatedBy: 'anna', updatedAt: '2026-12-04T21:00:00.000Z' };

describe('autosave transitions', () => {
  it('edit → save → saved at the server\'s new version', () => {
    const s = run({ status: 'saved', version: 3 }, { type: 'edited' });
    expect(s).toEqual({ status: 'unsaved', version: 3 });
    expect(canStartSave(s)).toBe(true);
    const saving = transition(s, { type: 'save-started' });
    expect(saving).toEqual({ status: 'saving', version: 3, editedSince: false });
    expect(canStartSave(saving)).toBe(false);
    expect(transition(saving, { type: 'save-succeeded', version: 4 })).toEqual({ status: 'saved', version: 4 });
  });

  it('an edit during a save leaves it unsaved at the new version, so the next save starts from there', () => {
    const s = run({ status: 'saved', version: 3 }, { type: 'edited' }, { type: 'save-started' }, { type: 'edited' }, { type: 'save-succeeded', version: 4 });
    expect(s).toEqual({ status: 'unsaved', version: 4 });
  });

  it('conflict path: a 409 keeps the edits; keep mine saves on top of their version', () => {
    const conflict = run({ status: 'saved', version: 4 }, { type: 'edited' }, { type: 'save-started' }, { type: 'save-conflicted', theirs });
    expect(conflict).toEqual({ status: 'conflict', version: 4, theirs });
    expect(hasLocalEdits(conflict)).toBe(true);
    expect(statusLabel(conflict)).toBe('Not saved: anna saved version 5');
    // while the user decides nothing is saved automatically, and more edits stay in the conflict
    expect(canStartSave(conflict)).toBe(false);
    expect(transition(conflict, { type: 'edited' })).toBe(conflict);
    const mine = transition(conflict, { type: 'keep-mine' });
    expect(mine).toEqual({ status: 'unsaved', version: 5 });
    expect(run(mine, { type: 'save-started' }, { type: 'save-succeeded', version: 6 })).toEqual({ status: 'saved', version: 6 });
  });

  it('conflict path: take theirs drops the edits for their version', () => {
    const conflict: AutosaveState = { status: 'conflict', version: 4, theirs };
    expect(transition(conflict, { type: 'took-theirs', version: 5 })).toEqual({ status: 'saved', version: 5 });
  });

  it('a second conflict while keeping mine (someone saved again) is a new choice naming the newer version', () => {
    const newer = { ...theirs, version: 6, updatedBy: 'ben' };
    const s = run({ status: 'conflict', version: 4, theirs }, { type: 'keep-mine' }, { type: 'save-started' }, { type: 'save-conflicted', theirs: newer });
    expect(s).toEqual({ status: 'conflict', version: 5, theirs: newer });
  });

  it('a failed save keeps the edits and may be retried', () => {
    const failed = run({ status: 'unsaved', version: 2 }, { type: 'save-started' }, { type: 'save-failed', message: 'The server cannot be reached.' });
    expect(failed).toEqual({ status: 'failed', version: 2, message: 'The server cannot be reached.' });
    expect(canStartSave(failed)).toBe(true);
    expect(run(failed, { type: 'save-started' }, { type: 'save-succeeded', version: 3 })).toEqual({ status: 'saved', version: 3 });
  });

  it('events that do not fit the state change nothing', () => {
    const saved: AutosaveState = { status: 'saved', version: 1 };
    for (const e of [{ type: 'save-started' }, { type: 'save-succeeded', version: 9 }, { type: 'save-conflicted', theirs }, { type: 'keep-mine' }, { type: 'took-theirs', version: 9 }] as AutosaveEvent[]) {
      expect(transition(saved, e)).toBe(saved);
    }
    expect(transition(saved, { type: 'replaced', version: 7 })).toEqual({ status: 'saved', version: 7 });
  });

  it('reads the 409 details of the notebook store', () => {
    expect(theirVersionOf({ currentVersion: 5, updatedBy: 'anna', updatedAt: theirs.updatedAt })).toEqual(theirs);
    expect(theirVersionOf({ code: 'other' })).toBeUndefined();
    expect(theirVersionOf(undefined)).toBeUndefined();
  });
});
