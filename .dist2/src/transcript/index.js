// Transcripts: the text record of a scenario's commands and what they printed, shared by
// the real-kernel recorder (src/reallab) and the emulator's golden tests.
export { formatTranscript, parseTranscript } from './format.js';
export { parseScenario, shellWords } from './scenario.js';
export { normalise } from './normalise.js';
export { unifiedDiff } from './diff.js';
//# sourceMappingURL=index.js.map