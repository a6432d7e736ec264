/** Moved to files/atomic-file.ts (the shared file helpers); this path keeps older imports working. */
export { TEMP_PREFIX, fsyncDir, writeFileAtomic } from '../files/atomic-file.ts';
