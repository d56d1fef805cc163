// The SSH version banner at the start of a TCP payload (tcpdump's print-ssh.c).
import { ascii } from './_text.js';
import type { PrintContext } from './_context.js';

/** print-ssh.c: an `SSH-2.0-...` version line, if the payload starts with one. */
export function sshBanner(c: PrintContext, b: Uint8Array, len: number): void {
  c.protocol = 'ssh';
  for (let i = 0; i < 4; i++) if (c.u8(b, i) !== 'SSH-'.charCodeAt(i)) return;
  for (let idx = 4; idx < len; idx++) {
    const ch = c.u8(b, idx);
    if (ch === 0x0a || (ch === 0x0d && idx + 1 < len && c.u8(b, idx + 1) === 0x0a)) {
      return c.w(`: SSH: ${ascii(b, 0, idx)}`);
    }
    if (ch === 0x0d || ch < 0x20 || ch > 0x7e) return;
  }
}
