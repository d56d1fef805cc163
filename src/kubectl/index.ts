// kubectl, emulated over the ApiClient: its commands, printers, flags and messages.
export { connectionRefused, kubectl, kubectlMutates } from './kubectl.js';
export type { ClientProcess, KubeConfig, KubeContext, KubectlEnv, KubectlIo } from './env.js';
export { humanDuration } from './duration.js';
export { executeJsonPath } from './jsonpath.js';
export type { ContainerRuntime, ExecResult, PodStream, StreamEvents, TarMember, TarResult } from './exec.js';
export { KubectlError, RawError } from './env.js';
