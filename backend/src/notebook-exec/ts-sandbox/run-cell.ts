/**
 * Runs one cell in a fresh QuickJS runtime of the worker's warm module: transpile, start the
 * sandbox (limits, `alm`, inputs), evaluate the cell as an ES module, drain its jobs, collect its
 * exports — or name the one thing that broke, at its line and column in the cell's TypeScript.
 */
import type { QuickJSHandle } from 'quickjs-emscripten';
import { z } from 'zod';
import type { TsCellLimits } from '../../config.ts';
import type { CellError, CellResult, CellValue, ConsoleLine, Display } from './cell-result.ts';
import { PRELUDE } from './prelude.ts';
import type { LoadedModule } from './quickjs-module.ts';
import { parseSourceMap, type LineMap } from './source-map.ts';
import { CELL_SCRIPT, transpileCell } from './transpile.ts';

const MB = 1024 * 1024;
const LOCAL_OPS = new Set(['log', 'warn', 'error', 'display']);

/** A display as the prelude builds it; checked again here in case the cell tampered with the prelude's helpers. */
const displaySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('grid'), data: z.unknown() }).strict(),
  z.object({ type: z.literal('chart'), spec: z.unknown() }).strict(),
  z.object({ type: z.literal('metric'), label: z.string().max(1_000), value: z.unknown(), format: z.string().max(100).nullable() }).strict(),
]);

/** Answers a remote `alm` op synchronously (the worker blocks on the server's reply). */
export type HostCall = (op: string, payload: string, deadline: number) => { ok: true; value: string } | { ok: false; message: string; fatal?: CellError };

interface CellState {
  broken: CellError | null;
  outputBytes: number;
  console: ConsoleLine[];
  displays: Display[];
  hostCalls: number;
}

/** Parses host JSON refusing `__proto__` keys, so nothing the cell sent can reshape prototypes here. */
export function parseCellJson(text: string): unknown {
  return JSON.parse(text, (key, value: unknown) => {
    if (key === '__proto__') throw new Error('a value leaving the cell has the key "__proto__"');
    return value;
  });
}

function cellPosition(stack: string, map: LineMap): { line: number; column: number } | undefined {
  const frame = new RegExp(`${CELL_SCRIPT.replace('.', '\\.')}:(\\d+):(\\d+)`).exec(stack);
  if (!frame) return undefined;
  return map.original(Number(frame[1]), Number(frame[2]));
}

/** `reload`: the module may be damaged (a runtime failed to dispose); load a fresh one before the next cell. */
export function runCell(loaded: LoadedModule, source: string, inputsText: string, limits: TsCellLimits, hostCall: HostCall): { result: CellResult; reload: boolean } {
  const state: CellState = { broken: null, outputBytes: 0, console: [], displays: [], hostCalls: 0 };
  const fail = (error: CellError, timing: CellResult['timing'] = null): CellResult => ({ ok: false, error, console: state.console, displays: state.displays, timing });
  const t0 = performance.now();
  const deadline = Date.now() + limits.wallMs;
  const transpiled = transpileCell(source);
  const transpileMs = performance.now() - t0;
  if (!transpiled.ok) return { result: fail(transpiled.error), reload: false };
  const js = transpiled.js;
  const map = parseSourceMap(transpiled.sourceMap);

  loaded.resetGrowRefused();
  const rt = loaded.module.newRuntime();
  rt.setMemoryLimit(limits.memoryMb * MB);
  rt.setMaxStackSize(limits.stackKb * 1024);
  rt.setInterruptHandler(() => state.broken !== null || Date.now() > deadline);
  rt.setModuleLoader((name) => ({ error: new Error(`cells cannot import modules ("${name}"); data and the engine are reached through the alm object`) }));
  const vm = rt.newContext();
  const handles: QuickJSHandle[] = [];
  let internals: QuickJSHandle | undefined;
  const keep = <T extends QuickJSHandle>(h: T): T => (handles.push(h), h);
  let result: CellResult;
  let reload = false;
  try {
    result = evaluate();
  } catch (error) {
    // a failure of the sandbox itself (not of the cell's code): report it, reload QuickJS after
    result = fail({ kind: 'crashed', message: `the sandbox failed: ${error instanceof Error ? error.message : String(error)}` });
    reload = true;
  }
  try {
    for (const h of handles) if (h.alive) h.dispose();
    vm.dispose();
    rt.dispose();
  } catch {
    reload = true;
  }
  return { result, reload };

  function evaluate(): CellResult {
    const hostFn = keep(vm.newFunction('host', (opHandle, textHandle) => {
      const op = vm.typeof(opHandle) === 'string' ? vm.getString(opHandle) : '';
      if (vm.typeof(textHandle) !== 'string') return { error: vm.newError('host: text expected') };
      const length = vm.getProp(textHandle, 'length').consume((h) => vm.getNumber(h));
      if (state.broken) return { error: vm.newError(state.broken.message) };
      if (LOCAL_OPS.has(op)) return local(op, textHandle, length);
      state.hostCalls += 1;
      if (state.hostCalls > limits.maxHostCalls) {
        return breakCell({ kind: 'host-call-limit', message: `the cell made more than ${limits.maxHostCalls} alm calls; batch the work into fewer queries` });
      }
      if (length > limits.maxOutputBytes) return { error: vm.newError(`alm.${op}: the request is larger than ${limits.maxOutputBytes} bytes`) };
      const reply = hostCall(op, vm.getString(textHandle), deadline);
      if (!reply.ok) return reply.fatal ? breakCell(reply.fatal) : { error: vm.newError(reply.message) };
      return vm.newString(`{"ok":true,"value":${reply.value}}`);
    }));

    const local = (op: string, textHandle: QuickJSHandle, length: number) => {
      if (op !== 'display' && state.console.length >= limits.maxConsoleLines) {
        return breakCell({ kind: 'output-limit', message: `the cell printed more than ${limits.maxConsoleLines} console lines` });
      }
      if (state.outputBytes + length > limits.maxOutputBytes) {
        return breakCell({ kind: 'output-limit', message: `the cell's output (console lines, displays, exports) passed ${limits.maxOutputBytes} bytes` });
      }
      state.outputBytes += length;
      const text = vm.getString(textHandle);
      if (op === 'display') {
        const display = displaySchema.safeParse(parseCellJson(text));
        if (!display.success) return { error: vm.newError('alm.grid/chart/metric: malformed display') };
        state.displays.push(display.data as Display);
      }
      else state.console.push({ level: op as ConsoleLine['level'], text });
      return vm.undefined;
    };

    const breakCell = (error: CellError) => {
      state.broken ??= error;
      return { error: vm.newError(state.broken.message) };
    };

    const preludeFn = keep(vm.unwrapResult(vm.evalCode(PRELUDE, 'alm.js', { type: 'global' })));
    const inputsHandle = keep(vm.newString(inputsText));
    const started = vm.callFunction(preludeFn, vm.undefined, hostFn, inputsHandle);
    if (started.error) return fail({ kind: 'runtime', message: errorText(keep(started.error)).message || 'the cell inputs could not be set' });
    const prelude = keep(started.value);
    internals = prelude;
    const timing = { sandboxStartMs: performance.now() - t0 - transpileMs, transpileMs, runMs: 0 };
    const runStart = performance.now();
    const finish = (r: CellResult): CellResult => {
      timing.runMs = performance.now() - runStart;
      return r;
    };

    const evaluated = vm.evalCode(js, CELL_SCRIPT, { type: 'module' });
    if (evaluated.error) return finish(fail(classify(keep(evaluated.error)), timing));
    const promise = keep(evaluated.value);
    for (;;) {
      const jobs = rt.executePendingJobs(-1);
      if (jobs.error) keep(jobs.error);
      const settled = vm.getPromiseState(promise);
      if (settled.type === 'pending') {
        if (state.broken) return finish(fail(state.broken, timing));
        if (Date.now() > deadline) return finish(fail(timeoutError(), timing));
        if (!rt.hasPendingJob()) {
          return finish(fail({ kind: 'never-resolves', message: 'the cell awaits a promise that nothing can settle (no pending work is left); remove that await or settle the promise' }, timing));
        }
        continue;
      }
      if (settled.type === 'rejected') return finish(fail(classify(keep(settled.error)), timing));
      const namespace = settled.value === promise ? promise : keep(settled.value);
      if (state.broken) return finish(fail(state.broken, timing));
      const collected = vm.callFunction(keep(vm.getProp(prelude, 'collect')), prelude, namespace);
      if (collected.error) return finish(fail(classify(keep(collected.error)), timing));
      const text = keep(collected.value);
      const length = vm.getProp(text, 'length').consume((h) => vm.getNumber(h));
      if (state.outputBytes + length > limits.maxOutputBytes) {
        return finish(fail({ kind: 'output-limit', message: `the cell's exported values passed ${limits.maxOutputBytes} bytes; export a table (alm.sql) instead of a large array` }, timing));
      }
      const outputs = parseCellJson(vm.getString(text)) as Record<string, CellValue>;
      return finish({ ok: true, outputs, console: state.console, displays: state.displays, timing });
    }
  }

  function timeoutError(): CellError {
    return { kind: 'timeout', message: `the cell ran longer than ${limits.wallMs / 1000} s and was stopped` };
  }

  /** name, message and stack of a thrown object ('' for what it lacks or for a primitive) */
  function errorText(errorHandle: QuickJSHandle): { isObject: boolean; name: string; message: string; stack: string } {
    const isObject = vm.typeof(errorHandle) === 'object' && !vm.sameValue(errorHandle, vm.null);
    // a thrown object's getters are the cell's code: they may throw or loop (until the deadline)
    const text = (key: string) => {
      if (!isObject) return '';
      try {
        return vm.getProp(errorHandle, key).consume((h) => (vm.typeof(h) === 'string' ? vm.getString(h).slice(0, 10_000) : ''));
      } catch {
        return '';
      }
    };
    return { isObject, name: text('name'), message: text('message'), stack: text('stack') };
  }

  function classify(errorHandle: QuickJSHandle): CellError {
    const thrownAt = whereThrown(errorHandle); // first: reading the value's getters may throw again
    const { isObject, name, message, stack } = errorText(errorHandle);
    const at = cellPosition(stack, map) ?? cellPosition(thrownAt, map);
    const withAt = (e: CellError): CellError => (at ? { ...e, ...at } : e);
    if (state.broken) return withAt(state.broken);
    if (Date.now() > deadline) return withAt(timeoutError()); // e.g. a thrown object whose getter loops
    if (name === 'InternalError' && message === 'interrupted') return Date.now() > deadline ? withAt(timeoutError()) : withAt({ kind: 'timeout', message: 'the cell was stopped' });
    const outOfMemory = name === 'InternalError' && (message === 'out of memory' || message === 'string too long');
    // QuickJS throws null when it cannot even allocate the error object
    const nullAfterExhaustion = vm.sameValue(errorHandle, vm.null) && !at && (loaded.growRefused() || memoryUsed() > 0.9 * limits.memoryMb * MB);
    if (outOfMemory || nullAfterExhaustion) {
      return withAt({ kind: 'memory', message: `the cell used more than its ${limits.memoryMb} MB of memory${message === 'string too long' ? ' (a string grew past the 1 GB string limit)' : ''}` });
    }
    if (name === 'InternalError' && message === 'stack overflow') return withAt({ kind: 'stack', message: `the cell recursed deeper than its ${limits.stackKb} KB stack allows` });
    if (name === 'AlmExportError') return { kind: 'export', message: `export ${message}` };
    if (isObject && (name !== '' || message !== '')) return withAt({ kind: 'runtime', message: name && name !== 'Error' ? `${name}: ${message}` : message });
    return withAt({ kind: 'runtime', message: `the cell threw ${describeThrown(errorHandle)}` });
  }

  function memoryUsed(): number {
    return rt.computeMemoryUsage().consume((h) => (vm.dump(h) as { memory_used_size?: number }).memory_used_size ?? 0);
  }

  function whereThrown(value: QuickJSHandle): string {
    if (!internals?.alive) return '';
    const fn = keep(vm.getProp(internals, 'whereThrown'));
    const r = vm.callFunction(fn, internals, value);
    if (r.error) {
      r.error.dispose();
      return '';
    }
    return r.value.consume((h) => (vm.typeof(h) === 'string' ? vm.getString(h) : ''));
  }

  function describeThrown(value: QuickJSHandle): string {
    const type = vm.typeof(value);
    if (type === 'string') return `the string ${JSON.stringify(vm.getString(value).slice(0, 200))}`;
    if (type === 'number') return `the number ${vm.getNumber(value)}`;
    if (type === 'object' && vm.sameValue(value, vm.null)) return 'null';
    return `a value of type ${type} (throw an Error to get a message and position)`;
  }
}

