/**
 * Which cells an execution touches, in which order, and in which role. Running a cell needs its
 * ancestors (from storage, else run) and then concerns its dependents (run in auto mode, marked
 * stale in lazy mode); the ancestors those dependents need come along. A run of the notebook
 * takes every cell. The order is topological with ties in document order, so it is the same every
 * time; cells on a cycle and downstream of one come last, in document order (they fail or are blocked).
 */
import type { NotebookGraph } from '../graph/graph.ts';

export type RunTarget =
  | { scope: 'notebook' }
  /** The cell alone: its dependents are marked stale unless their output is already stored. */
  | { scope: 'cell'; cellId: string }
  /** The cell, then its dependents (auto mode; lazy cells and lazy notebooks mark them stale). */
  | { scope: 'cell-and-dependents'; cellId: string };

export type PlanRole = 'ancestor' | 'target' | 'dependent';

export interface Plan {
  order: string[];
  roles: Map<string, PlanRole>;
}

export function planExecution(graph: NotebookGraph, documentOrder: readonly string[], target: RunTarget): Plan {
  const roles = new Map<string, PlanRole>();
  if (target.scope === 'notebook') {
    for (const id of documentOrder) roles.set(id, 'target');
  } else {
    const dependents = graph.descendants(target.cellId);
    dependents.delete(target.cellId);
    // dependents that run need their other inputs too; dependents of a lone cell are only looked up by key, which needs no output
    const needing = target.scope === 'cell' ? [target.cellId] : [target.cellId, ...dependents];
    for (const id of needing) for (const a of graph.ancestors(id)) if (a !== target.cellId && !dependents.has(a)) roles.set(a, 'ancestor');
    roles.set(target.cellId, 'target');
    for (const id of dependents) roles.set(id, 'dependent');
  }
  const ordered = graph.runOrder(roles.keys());
  const placed = new Set(ordered);
  const rest = documentOrder.filter((id) => roles.has(id) && !placed.has(id));
  return { order: [...ordered, ...rest], roles };
}
