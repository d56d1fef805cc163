// The lab: hosts (and, soon, clusters) of one KNETLAB_HOME on one virtual clock, and the command
// families that act on them. Front ends (src/server, src/cli, tests, the browser) run commands
// through Lab.run() and keep the journal records it returns.
export type { BindFailure, CarriedStream, CommandFamily, CommandIo, LabCommand, MachinePort, StreamEvents } from './command.js';
export { dialPublished, publishedPorts, tcpEvents, type PublishedPort } from './published.js';
export { Lab, type LabRun } from './lab.js';
export { BLOB_NAME, blobsOf, checkRecord, fromBase64, toBase64, type JournalRecord } from './journal.js';
export { FAMILIES, standardLab } from './families.js';
export { checkHostName, sh } from './shell.js';
export { argvReads } from './reads.js';
export { captured, runByHand, type ByHand, type Captured } from './by-hand.js';
export { TRACE_USAGE } from './trace.js';
