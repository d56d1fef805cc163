// Cluster add-ons that run as pods on the nodes: kindnetd (so far).
export { KINDNET_CONFLIST, kindMasqRules, kindnetConflist, startKindnet, writeKindnetConflist, type KindnetOptions } from './kindnet.js';
