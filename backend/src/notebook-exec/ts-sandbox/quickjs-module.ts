/**
 * The QuickJS WebAssembly module of one worker, loaded once and kept (a cell then only pays for a
 * fresh runtime + context, a few ms). Its linear memory is created here with a fixed maximum:
 * QuickJS's own memory limit cannot count bytes in the prebuilt Emscripten build
 * (malloc_usable_size is unavailable there, so big strings and typed arrays are never summed), so
 * the hard cap is the memory itself — past it malloc fails and QuickJS throws "out of memory".
 */
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
  const module = await newQuickJSWASMModule(newVariant(RELEASE_SYNC, { wasmMemory: memory }));
  return { module, memory, memoryMb, growRefused: () => refused, resetGrowRefused: () => (refused = false) };
}
