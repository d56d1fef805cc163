// `ip tuntap` (iproute2 iptuntap.c) for TUN devices: add makes a persistent one (TUNSETIFF with
// IFF_TUN | IFF_NO_PI, then TUNSETPERSIST), del removes it, show lists them. TAP devices (an
// Ethernet link behind a file) are not emulated.
import { KernelError, STRERROR, Tun, tunAddPersistent } from '../../kernel/index.js';
import { fail, matches } from './args.js';
import type { Ctx } from './ctx.js';

export function ipTuntap(ctx: Ctx, argv: readonly string[]): number {
  const [cmd = 'show', ...rest] = argv;
  if (matches(cmd, 'show') || matches(cmd, 'list') || matches(cmd, 'lst')) {
    let out = '';
    for (const l of ctx.ns.links()) if (l instanceof Tun) out += `${l.name}: tun${l.persist ? ' persist' : ''}\n`;
    ctx.proc.stdout(out);
    return 0;
  }
  if (!matches(cmd, 'add') && !matches(cmd, 'delete')) fail(1, `knetlab: "ip tuntap ${cmd}" is not emulated`);
  let name: string | undefined;
  let mode: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i]!;
    if (w === 'mode') mode = rest[++i];
    else if (w === 'dev' || w === 'name') name = rest[++i];
    else if (w === 'tun' || w === 'tap') mode = w;
    else if (name === undefined && !w.startsWith('-')) name = w;
    else fail(1, `knetlab: "ip tuntap ${cmd}" option "${w}" is not emulated`);
  }
  if (mode === undefined) fail(1, 'You failed to specify a tunnel mode');
  if (mode !== 'tun') fail(1, `knetlab: "ip tuntap" mode "${mode}" is not emulated (only tun)`);
  if (name === undefined) fail(1, 'knetlab: give the device name (ip tuntap add dev NAME mode tun)');
  if (matches(cmd, 'add')) {
    try {
      tunAddPersistent(ctx.ns, name!);
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
      fail(1, `ioctl(TUNSETIFF): ${STRERROR[e.errno]}`);
    }
    return 0;
  }
  const dev = ctx.ns.linkByName(name!);
  if (!(dev instanceof Tun)) fail(1, `ioctl(TUNSETIFF): ${dev ? STRERROR.EINVAL : STRERROR.EBUSY}`);
  (dev as Tun).persist = false;
  ctx.ns.unregister(dev as Tun);
  return 0;
}
