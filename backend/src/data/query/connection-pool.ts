/**
 * A few connections to one DuckDB instance, handed out one task at a time. DuckDB runs readers
 * on separate connections in parallel, so a slow statement (an export, a group-by over millions
 * of rows) no longer holds every other request of its workspace behind it. Settings of the
 * lock-down are global to the instance, so connections opened later are locked down too.
 */
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

export interface Lease {
  readonly connection: DuckDBConnection;
  /** The dataset schema this connection's `search_path` points at (user SQL); null when unknown. */
  searchPath: string | null;
  /**
   * Set when this lease's task was interrupted (timeout, close). DuckDB's interrupt does not stop
   * a streamed result between fetches, so streaming tasks check it themselves.
   */
  interrupted?: boolean;
}

export class ConnectionPool {
  private readonly idle: Lease[];
  private readonly busy = new Set<Lease>();
  private readonly waiting: Array<{ resolve: (lease: Lease) => void; reject: (error: unknown) => void }> = [];
  private opened: number;
  private closedWith: (() => Error) | null = null;

  constructor(private readonly instance: DuckDBInstance, private readonly first: DuckDBConnection, private readonly size: number) {
    this.idle = [{ connection: first, searchPath: null }];
    this.opened = 1;
  }

  /** A free connection, opening another while fewer than `size` exist, else the first one released. */
  async acquire(): Promise<Lease> {
    if (this.closedWith) throw this.closedWith();
    const free = this.idle.pop();
    if (free) return this.take(free);
    if (this.opened < this.size) {
      this.opened += 1;
      try {
        return this.take({ connection: await this.instance.connect(), searchPath: null });
      } catch (error) {
        this.opened -= 1;
        throw error;
      }
    }
    return new Promise<Lease>((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  release(lease: Lease): void {
    this.busy.delete(lease);
    if (this.closedWith) {
      if (lease.connection !== this.first) lease.connection.closeSync();
      return;
    }
    const next = this.waiting.shift();
    if (next) next.resolve(this.take(lease));
    else this.idle.push(lease);
  }

  get inUse(): number {
    return this.busy.size;
  }

  /** Refuses new work, fails the waiting with `error`, interrupts the running statements. */
  stop(error: () => Error): void {
    this.closedWith = error;
    for (const w of this.waiting.splice(0)) w.reject(error());
    for (const lease of this.busy) {
      lease.interrupted = true;
      lease.connection.interrupt();
    }
  }

  /** Closes the connections opened here once idle (the first one belongs to whoever passed it in). */
  closeIdle(): void {
    for (const lease of this.idle.splice(0)) if (lease.connection !== this.first) lease.connection.closeSync();
  }

  private take(lease: Lease): Lease {
    lease.interrupted = false;
    this.busy.add(lease);
    return lease;
  }
}
