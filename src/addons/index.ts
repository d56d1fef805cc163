// Cluster add-ons that run as pods on the nodes: kindnetd (so far).
export { KINDNET_CONFLIST, kindnetConflist, writeKindnetConflist } from './kindnet.js';
