/** One notebook execution service per server (its deps), built on first use with the deps' host factory. */
import type { CellHost } from '@almready/notebooks';
import type { WorkspaceDeps } from '../workspaces/deps.ts';
import { NotebookExecService, type CellHostFactory } from './service.ts';

const services = new WeakMap<WorkspaceDeps, NotebookExecService>();

/** Without a configured host, SQL and ts cells fail with a sentence (markdown, input, chart and grid cells still run). */
const noHost: CellHostFactory = (): CellHost => {
  const refuse = async () => ({ ok: false as const, message: 'this server has no notebook host configured: SQL and TypeScript cells cannot run here' });
  return { runSql: refuse, runTs: refuse };
};

export function notebookExecFor(deps: WorkspaceDeps): NotebookExecService {
  const existing = services.get(deps);
  if (existing) return existing;
  const limits = (deps.config as { limits?: { notebooks?: { perUser?: number } } }).limits;
  const service = new NotebookExecService(deps, {
    hostFactory: (scope) => (deps.notebookHost ?? noHost)(scope),
    ...(limits?.notebooks?.perUser ? { perUser: limits.notebooks.perUser } : {}),
  });
  services.set(deps, service);
  deps.notebookExec = service;
  return service;
}
