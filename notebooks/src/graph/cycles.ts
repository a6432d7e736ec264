/** Strongly connected components (Tarjan) that are cycles: two or more cells, or one reading itself. */
import type { Topology } from './topology.ts';

export function findCycles(topology: Topology): string[][] {
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];

  const connect = (id: string): void => {
    indexOf.set(id, index);
    low.set(id, index);
    index++;
    stack.push(id);
    onStack.add(id);
    for (const child of topology.children(id)) {
      if (!indexOf.has(child)) {
        connect(child);
        low.set(id, Math.min(low.get(id)!, low.get(child)!));
      } else if (onStack.has(child)) low.set(id, Math.min(low.get(id)!, indexOf.get(child)!));
    }
    if (low.get(id) !== indexOf.get(id)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== id);
    if (component.length > 1 || topology.children(id).has(id)) cycles.push(component.reverse());
  };
  for (const id of topology.cells()) if (!indexOf.has(id)) connect(id);
  return cycles;
}
