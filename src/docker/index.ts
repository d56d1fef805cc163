// The lab's docker daemon and the `docker` command line (kind's nodes and plain containers), and
// the shell inside them (just-bash over the node's files, with the emulated tools as commands).
export { DockerEngine, EPOCH_MS, macFromIp, type Container, type DockerNetwork, type PortBinding } from './engine.js';
export { runDocker, dockerMutates, type DockerIo, type DockerLab } from './command.js';
export { NodeShellFs, type Files, type ProcNet, type SysctlTable } from './files.js';
export { containerBash, execArgv, runArgv, runShell, SHELLS, type ContainerShell, type Tool, type ToolResult } from './shell.js';
export { GoTemplate, TemplateError } from '../transcript/index.js';
export { plainImageFiles } from './images.js';
export { humanDuration } from './format.js';
export { tarCreate, tarExtract, type TarEntry, type TarFlavour } from './tar.js';
export { withMounts, type BindMount } from './mounts.js';
