// The differential fuzzer: generated scenario scripts, checked against the real kernel. Node-only.
export { generateScript, DEFAULT_LENGTH } from './generate.js';
export { checkScript, compare, emulator, realKernel, type Reference, type Verdict } from './check.js';
export { minimize } from './minimize.js';
export { fuzz, fuzzCommand, shrink, FUZZ_USAGE, type FuzzOptions, type SeedResult } from './differential.js';
