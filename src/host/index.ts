// The host interface (network.ts) and its backend over a node's tools: the emulated kernel
// (SimHost) here; real namespaces on Linux in reallab/ (LinuxHost), the one Node-only part.
export * from './network.js';
export { ToolsHost, ToolsNetHandle, linkSettled, parseIpvsSave } from './tools.js';
export { SimHost } from './sim.js';
export { hostName } from './validate.js';
export { SimWorld, type Attachment, type BridgeNetwork, type BridgeNetworkSpec } from './world.js';
export { LabWorld, NodeView } from './lab-world.js';
