// Transcripts: the text record of a scenario's commands and what they printed, shared by
// the real-kernel recorder (src/reallab) and the emulator's golden tests.
export { formatTranscript, parseTranscript } from './format.js';
export type { TranscriptEntry } from './format.js';
export { parseScenario, shellWords } from './scenario.js';
export type { ScenarioCommand } from './scenario.js';
export { normalise } from './normalise.js';
export { unifiedDiff } from './diff.js';
export { getopt, getoptLong, GetoptScanner, OPERAND } from './getopt.js';
export type { GetoptError, GetoptOption, GetoptResult, LongOption } from './getopt.js';
export { DOCKER_FUNCS, GoTemplate, KUBECTL_FUNCS, printValue, TemplateError } from './gotemplate.js';
export type { TemplateOptions } from './gotemplate.js';
