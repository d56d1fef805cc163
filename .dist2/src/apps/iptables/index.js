// iptables, iptables-save and iptables-restore as iptables 1.8.9 (nf_tables) behaves, on the
// iptables state of the namespace a command runs in.
export { iptables } from './iptables.js';
export { iptablesSave } from './save.js';
export { iptablesRestore } from './restore.js';
//# sourceMappingURL=index.js.map