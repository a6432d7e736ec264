import { useCallback, useEffect, useState } from 'react';
import type { ApiFailure, ApiResult } from '../api/http.ts';

export interface Loaded<T> {
  data: T | null;
  error: ApiFailure | null;
  loading: boolean;
  reload: () => void;
}

/** Loads once per key and on reload(); an older answer never overwrites a newer one. */
export function useApi<T>(load: () => Promise<ApiResult<T>>, key: string): Loaded<T> {
  const [state, setState] = useState<{ data: T | null; error: ApiFailure | null; loading: boolean }>({ data: null, error: null, loading: true });
  const [tick, setTick] = useState(0);
  // `load` is a fresh closure each render; the key says when it really asks for something else.
  const stableLoad = useCallback(load, [key]);

  useEffect(() => {
    let live = true;
    setState((previous) => ({ ...previous, loading: true }));
    void stableLoad().then((result) => {
      if (!live) return;
      setState(result.ok ? { data: result.value, error: null, loading: false } : { data: null, error: result.error, loading: false });
    });
    return () => {
      live = false;
    };
  }, [stableLoad, tick]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}
