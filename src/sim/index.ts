export { EventQueue } from './clock.js';
export type { Clock, Millis, Scheduler, TimerHandle } from './clock.js';
export { Rng, hashString, splitmix32 } from './rng.js';
export { NodeFiles, FilesError } from './files.js';
export type { FileStat, FilesErrno } from './files.js';
export { agentStep } from './turns.js';
export { lastResult } from './memo.js';
export { sortedIndex } from './sorted.js';
export { SmallMap } from './small-map.js';
