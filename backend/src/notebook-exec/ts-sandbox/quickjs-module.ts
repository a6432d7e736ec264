/**
 * The QuickJS WebAssembly module of one worker. The wasm is compiled once per worker
 * (`compiledQuickJs`); each cell then gets a new instance of it over a new linear memory
 * (`loadQuickJs`, a few ms, prepared while the worker waits for the cell), so nothing a cell left
 * in memory — not even freed bytes — is there for the next cell, whoever's it is.
 * Its linear memory is created here with a fixed maximum:
 * QuickJS's own memory limit cannot count bytes in the prebuilt Emscripten build
 * (malloc_usable_size is unavailable there, so big strings and typed arrays are never summed), so
 * the hard cap is the memory itself — past it malloc fails and QuickJS throws "out of memory".
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { newQuickJSWASMModule, newVariant, RELEASE_SYNC, type QuickJSWASMModule } from 'quickjs-emscripten';

const MB = 1024 * 1024;
const PAGE = 64 * 1024;
/** Room for QuickJS itself, the runtime's atoms and the allocator's slack above the cell's limit. */
export const HEADROOM_MB = 48;

export interface LoadedModule {
  module: QuickJSWASMModule;
  memory: WebAssembly.Memory;
  memoryMb: number;
  /** set when the memory refused to grow since the last reset: the cell hit the hard cap */
  growRefused: () => boolean;
  resetGrowRefused: () => void;
}

let compiled: Promise<WebAssembly.Module> | null = null;
/** wasm compilations in this thread (1 unless the first failed): tests check it */
export let compilations = 0;

/** The release build's wasm, compiled once in this thread (npm packages stay in node_modules in the build too). */
export function compiledQuickJs(): Promise<WebAssembly.Module> {
  compiled ??= (async () => {
    compilations += 1;
    const file = wasmFile();
    return WebAssembly.compile(await readFile(file));
  })();
  compiled.catch(() => (compiled = null));
  return compiled;
}

/** The release build's .wasm: beside us when npm hoisted it, else beside quickjs-emscripten, which depends on it. */
function wasmFile(): string {
  const here = createRequire(import.meta.url);
  try {
    return here.resolve('@jitl/quickjs-wasmfile-release-sync/wasm');
  } catch {
    return createRequire(here.resolve('quickjs-emscripten')).resolve('@jitl/quickjs-wasmfile-release-sync/wasm');
  }
}

/** A new instance of the compiled module over a new memory of `memoryMb` + headroom at most. */
export async function loadQuickJs(memoryMb: number): Promise<LoadedModule> {
  const memory = new WebAssembly.Memory({ initial: (16 * MB) / PAGE, maximum: Math.ceil(((memoryMb + HEADROOM_MB) * MB) / PAGE) });
  let refused = false;
  const grow = memory.grow.bind(memory);
  // Emscripten calls grow() and treats a throw as "no memory"; note it to name the error.
  memory.grow = (delta: number) => {
    try {
      return grow(delta);
    } catch (error) {
      refused = true;
      throw error;
    }
  };
  const wasmModule = await compiledQuickJs();
  const module = await newQuickJSWASMModule(newVariant(RELEASE_SYNC, { wasmMemory: memory, wasmModule }));
  return { module, memory, memoryMb, growRefused: () => refused, resetGrowRefused: () => (refused = false) };
}
