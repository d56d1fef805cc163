// A container of an image knetlab does not know: it listens on its declared TCP containerPorts
// (argv: the ports) and accepts connections, reading what comes and answering nothing, so a
// connection succeeds and a client waits as it would on a silent server. The kubelet says in an
// event that the image is emulated generically.
import { KernelError, tcpOf } from '../../kernel/index.js';
import type { Command } from '../proc.js';

export const GENERIC_CONTAINER = 'knetlab-generic-container';

export const genericContainer: Command = (args, proc) => {
  const ports: number[] = [];
  for (const a of args) {
    const n = Number(a);
    if (!/^\d+$/.test(a) || n < 1 || n > 65535) {
      proc.stderr(`${GENERIC_CONTAINER}: invalid port "${a}": expected 1-65535\n`);
      for (const p of ports) tcpOf(proc.ns).unlisten(p);
      return 2;
    }
    try {
      tcpOf(proc.ns).listen(n, 0, () => ({ onData() {}, onEnd: (c) => c.close() }));
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
      proc.stderr(`${GENERIC_CONTAINER}: listen on port ${n}: address already in use\n`);
      for (const p of ports) tcpOf(proc.ns).unlisten(p);
      return 1;
    }
    ports.push(n);
  }
  proc.daemon?.(() => ports.forEach((p) => tcpOf(proc.ns).unlisten(p)));
  return 0;
};
