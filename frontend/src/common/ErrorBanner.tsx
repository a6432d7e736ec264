import type { ApiFailure } from '../api/http.ts';

/** Shows the server's sentence as it was written; the status helps support read screenshots. */
export function ErrorBanner({ error, onClose }: { error: ApiFailure | string | null; onClose?: () => void }) {
  if (!error) return null;
  const text = typeof error === 'string' ? error : error.status ? `${error.message} (HTTP ${error.status})` : error.message;
  return (
    <div className="error" role="alert">
      <span>{text}</span>
      {onClose ? <button type="button" className="link" onClick={onClose} aria-label="Dismiss">×</button> : null}
    </div>
  );
}
