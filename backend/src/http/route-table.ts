/**
 * The one routing table. Every route is declared with who may call it (`access`) and what body it
 * takes (`body`); the router is built from this table alone (http/router.ts), so a route cannot
 * exist without its guard, and a route declared without an access requirement is refused at
 * start-up (deny by default). Paths are canonical: lower-case static segments, `:name` params,
 * no trailing slash; the built router matches them case-sensitively and strictly. A JSON route
 * may declare its body's contract schema (`schema`, from @almready/contracts): the router then
 * validates the body with the one validator (parseWith) before the handler runs, and the handler
 * sees `ctx.request.body` typed as the schema's output.
 */
import type { DefaultContext, DefaultState, Middleware } from 'koa';
import type { z } from 'zod';
import type { WorkspaceRole } from '../workspaces/roles.ts';
import { JSON_LIMIT_BYTES, type BodySpec } from './body.ts';

export type Access =
  | { kind: 'public' }
  | { kind: 'authenticated' }
  | { kind: 'admin' }
  | { kind: 'workspace'; role: WorkspaceRole };

/** Anyone, signed in or not (health, login). */
export const PUBLIC: Access = { kind: 'public' };
/** Any signed-in user. */
export const SIGNED_IN: Access = { kind: 'authenticated' };
/** Site administrators only. */
export const ADMIN: Access = { kind: 'admin' };
/** Members of the `:wid` workspace with at least `role` (others: 404, members below it: 403). */
export const workspaceRole = (role: WorkspaceRole): Access => ({ kind: 'workspace', role });

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteOptions {
  access: Access;
  /** 'json' (default for POST, PUT, PATCH), 'multipart' (the route streams it) or 'none' (default for GET, DELETE). */
  body?: 'json' | 'multipart' | 'none';
  /** Largest JSON body this route reads (default 1 MB). */
  limitBytes?: number;
  /** The contract schema of the JSON body; validated (422 naming each bad field) before the handler. */
  schema?: z.ZodType;
}

/** A handler whose `ctx.request.body` is the declared schema's output (`unknown` without one). */
export type Handler<S extends z.ZodType = z.ZodType<unknown>> = Middleware<DefaultState, DefaultContext & { request: { body: z.output<S> } }>;

export interface RouteDef {
  method: Method;
  path: string;
  access: Access;
  body: BodySpec;
  /** the JSON body's contract schema, when declared */
  schema?: z.ZodType;
  handler: Middleware;
}

const SEGMENT = /^(?::[a-zA-Z][a-zA-Z0-9]*|[a-z0-9][a-z0-9._-]*)$/;
const ACCESS_KINDS = new Set(['public', 'authenticated', 'admin', 'workspace']);

function checkPath(path: string): void {
  if (path === '/') return;
  const segments = path.split('/');
  if (segments[0] !== '' || segments.slice(1).some((s) => !SEGMENT.test(s))) {
    throw new Error(`Route path "${path}" is not canonical: use lower-case segments and :params, with no trailing or double slash.`);
  }
}

function join(prefix: string, path: string): string {
  if (path === '/') return prefix === '' ? '/' : prefix;
  return `${prefix}${path}`;
}

export class RouteTable {
  readonly #routes: RouteDef[] = [];

  get(path: string, options: RouteOptions, handler: Middleware): this {
    return this.add('GET', path, options, handler);
  }
  post<S extends z.ZodType = z.ZodType<unknown>>(path: string, options: RouteOptions & { schema?: S }, handler: Handler<S>): this {
    return this.add('POST', path, options, handler as Middleware);
  }
  put<S extends z.ZodType = z.ZodType<unknown>>(path: string, options: RouteOptions & { schema?: S }, handler: Handler<S>): this {
    return this.add('PUT', path, options, handler as Middleware);
  }
  patch<S extends z.ZodType = z.ZodType<unknown>>(path: string, options: RouteOptions & { schema?: S }, handler: Handler<S>): this {
    return this.add('PATCH', path, options, handler as Middleware);
  }
  delete(path: string, options: RouteOptions, handler: Middleware): this {
    return this.add('DELETE', path, options, handler);
  }

  add(method: Method, path: string, options: RouteOptions, handler: Middleware): this {
    const access = (options as Partial<RouteOptions> | undefined)?.access;
    if (!access || !ACCESS_KINDS.has(access.kind)) {
      throw new Error(`${method} ${path} declares no access requirement; every route must say public, signed-in, admin or a workspace role.`);
    }
    checkPath(path);
    if (this.#routes.some((r) => r.method === method && r.path === path)) throw new Error(`${method} ${path} is declared twice.`);
    const kind = options.body ?? (method === 'GET' || method === 'DELETE' ? 'none' : 'json');
    const body: BodySpec = kind === 'json' ? { kind, limitBytes: options.limitBytes ?? JSON_LIMIT_BYTES } : { kind };
    if (options.schema && kind !== 'json') throw new Error(`${method} ${path} declares a body schema but takes no JSON body.`);
    this.#routes.push({ method, path, access, body, ...(options.schema ? { schema: options.schema } : {}), handler });
    return this;
  }

  /** Adds every route of `table` under `prefix` (e.g. '/api/workspaces'). */
  mount(prefix: string, table: RouteTable): this {
    if (prefix !== '') checkPath(prefix);
    for (const r of table.routes) {
      const path = join(prefix, r.path);
      if (this.#routes.some((own) => own.method === r.method && own.path === path)) throw new Error(`${r.method} ${path} is declared twice.`);
      this.#routes.push({ ...r, path });
    }
    return this;
  }

  get routes(): readonly RouteDef[] {
    return this.#routes;
  }
}
