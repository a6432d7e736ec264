/**
 * Starting, following and cancelling a notebook execution: `POST …/executions`, then the
 * execution's SSE stream (`…/events`; EventSource resumes with Last-Event-ID after a drop), each
 * event checked with the runner's own schema and reduced into the cells' states (`cellStatus.ts`).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { executionEventSchema, type ExecutionEvent } from '@almready/notebooks';
import type { StartExecutionAnswer, StartExecutionBody } from '@almready/contracts';
import { api, type ApiFailure } from '../../api/http.ts';
import { applyEvent, NO_EXECUTION, startExecution, type CellStatus, type ExecutionView } from './cellStatus.ts';

const EVENT_TYPES: ExecutionEvent['type'][] = ['execution-started', 'queued', 'running', 'done', 'failed', 'stale', 'cancelled', 'blocked', 'execution-finished'];

export interface NotebookRun {
  view: ExecutionView;
  start: (body: StartExecutionBody) => Promise<ApiFailure | null>;
  /** Follow an execution already running (the notebook was opened while it ran). */
  attach: (executionId: string) => void;
  cancel: () => Promise<ApiFailure | null>;
  /** Replace the shown states (stored outputs at open, an edit). */
  setCells: (update: (cells: Record<string, CellStatus>) => Record<string, CellStatus>) => void;
}

export function useNotebookRun(notebookUrl: string, handlers: { onEvent?: (event: ExecutionEvent) => void; onFinished?: (event: ExecutionEvent) => void }): NotebookRun {
  const [view, setView] = useState<ExecutionView>(NO_EXECUTION);
  const stream = useRef<EventSource | null>(null);
  const current = useRef<string | null>(null);
  const callbacks = useRef(handlers);
  callbacks.current = handlers;

  useEffect(() => () => stream.current?.close(), []);

  const follow = useCallback((executionId: string) => {
    stream.current?.close();
    const source = new EventSource(`${notebookUrl}/executions/${encodeURIComponent(executionId)}/events`);
    stream.current = source;
    const onMessage = (message: MessageEvent<string>) => {
      let parsed: unknown;
      try { parsed = JSON.parse(message.data); } catch { return; }
      const event = executionEventSchema.safeParse(parsed);
      if (!event.success) {
        // a server newer than this page: say so where a developer looks, keep following the rest
        console.warn(`execution event "${message.type}" does not fit the schema: ${event.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
        return;
      }
      if (current.current !== executionId) return;
      setView((v) => applyEvent(v, event.data));
      callbacks.current.onEvent?.(event.data);
      if (event.data.type === 'execution-finished') {
        source.close();
        if (stream.current === source) stream.current = null;
        callbacks.current.onFinished?.(event.data);
      }
    };
    for (const type of EVENT_TYPES) source.addEventListener(type, onMessage as EventListener);
  }, [notebookUrl]);

  const start = useCallback(async (body: StartExecutionBody) => {
    const result = await api.post<StartExecutionAnswer>(`${notebookUrl}/executions`, body);
    if (!result.ok) return result.error;
    current.current = result.value.executionId;
    setView((v) => startExecution(v, result.value.executionId));
    follow(result.value.executionId);
    return null;
  }, [notebookUrl, follow]);

  const attach = useCallback((executionId: string) => {
    if (current.current === executionId) return;
    current.current = executionId;
    setView((v) => startExecution(v, executionId));
    follow(executionId);
  }, [follow]);

  const cancel = useCallback(async () => {
    const id = current.current;
    if (!id) return null;
    const result = await api.post(`${notebookUrl}/executions/${encodeURIComponent(id)}/cancel`);
    return result.ok ? null : result.error;
  }, [notebookUrl]);

  const setCells = useCallback((update: (cells: Record<string, CellStatus>) => Record<string, CellStatus>) => {
    setView((v) => ({ ...v, cells: update({ ...v.cells }) }));
  }, []);

  return { view, start, attach, cancel, setCells };
}
