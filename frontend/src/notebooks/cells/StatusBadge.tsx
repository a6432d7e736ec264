import type { CellStatus } from './cellStatus.ts';
import { describeStatus } from './cellStatus.ts';

const TONE: Record<CellStatus['status'], string> = {
  idle: 'muted', queued: 'muted', running: 'running', done: 'good', stale: 'warn', failed: 'bad', cancelled: 'muted', blocked: 'bad',
};

export function StatusBadge({ status, nameOf }: { status: CellStatus; nameOf: (cellId: string) => string }) {
  return (
    <span className={`badge ${TONE[status.status]}`} data-testid="cell-status" data-status={status.status} title={status.status === 'failed' ? status.message : status.status === 'blocked' ? status.reason : undefined}>
      {describeStatus(status, nameOf)}
      {status.status === 'running' && status.fraction !== undefined ? <progress max={1} value={status.fraction} /> : null}
    </span>
  );
}
