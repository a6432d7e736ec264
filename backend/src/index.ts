/** Public surface of @almready/backend for scripts, benchmarks and end-to-end tests. */
export { createApp, VERSION } from './app.ts';
export type { AppDeps, AuthUser } from './app-deps.ts';
export { loadConfig, ConfigError, type Config } from './config.ts';
export { startServer, type RunningServer, type StartOptions } from './server.ts';
export { AppError, appError } from './app-error.ts';
export { httpError, HttpError } from './middleware/errors.ts';
export { parseWith } from './middleware/validate.ts';
export type { AuditLog, AuditEvent, AuditEventInput } from './audit/audit-log.ts';
