/** Moved to files/atomic-dir.ts (the shared file helpers); this path keeps older imports working. */
export { publishDirectory } from '../../files/atomic-dir.ts';
