// `ip netns add|delete|list|exec|identify|list-id` (iproute2 ipnetns.c) over the host's
// /run/netns names.
import { KernelError } from '../../kernel/index.js';
import { fail, matches } from './args.js';
import { printerFor, type Ctx } from './ctx.js';

const NETNS_USAGE = [
  'Usage:\tip netns list',
  '\tip netns add NAME',
  '\tip netns attach NAME PID',
  '\tip netns set NAME NETNSID',
  '\tip [-all] netns delete [NAME]',
  '\tip netns identify [PID]',
  '\tip netns pids NAME',
  '\tip [-all] netns exec [NAME] cmd ...',
  '\tip netns monitor',
  '\tip netns list-id [target-nsid POSITIVE-INT] [nsid POSITIVE-INT]',
  'NETNSID := auto | POSITIVE-INT',
];

function validName(name: string): boolean {
  return name.length > 0 && !name.includes('/') && name !== '.' && name !== '..';
}

function netnsList(ctx: Ctx): number {
  const p = printerFor(ctx.o);
  p.begin();
  for (const name of ctx.host.netnsNames()) {
    const other = ctx.host.netns(name)!;
    const id = other === ctx.ns ? undefined : ctx.ns.peekNsid(other);
    p.openObject();
    p.any('name', name, name);
    if (id !== undefined) p.any('id', id, ` (id: ${id})`);
    p.fp('\n');
    p.closeObject();
  }
  ctx.proc.stdout(p.end());
  return 0;
}

function netnsAdd(ctx: Ctx, name: string | undefined): number {
  if (name === undefined) fail(255, 'No netns name specified');
  if (!validName(name!)) fail(255, `Invalid netns name "${name}"`);
  if (ctx.host.netns(name!)) fail(1, `Cannot create namespace file "/run/netns/${name}": File exists`);
  ctx.host.addNetns(name!);
  return 0;
}

function netnsDel(ctx: Ctx, name: string | undefined): number {
  if (ctx.o.all && name === undefined) {
    for (const n of ctx.host.netnsNames()) ctx.host.delNetns(n);
    return 0;
  }
  if (name === undefined) fail(255, 'No netns name specified');
  if (!validName(name!)) fail(255, `Invalid netns name "${name}"`);
  try {
    ctx.host.delNetns(name!);
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
    fail(1, `Cannot remove namespace file "/run/netns/${name}": No such file or directory`);
  }
  return 0;
}

function netnsExec(ctx: Ctx, argv: readonly string[]): number {
  if (ctx.o.all) {
    // `ip -all netns exec CMD`: every namespace in list order, each announced on its own.
    if (argv.length === 0) fail(1, 'No command specified');
    for (const name of ctx.host.netnsNames()) {
      ctx.proc.stdout(`\nnetns: ${name}\n`);
      ctx.proc.exec(argv, ctx.host.netns(name)!);
    }
    return 0;
  }
  const [name, ...cmd] = argv;
  if (name === undefined) fail(255, 'No netns name specified');
  if (cmd.length === 0) fail(1, 'No command specified');
  const ns = ctx.host.netns(name!) ?? fail(255, `Cannot open network namespace "${name}": No such file or directory`);
  if (ctx.proc.which && !ctx.proc.which(cmd[0]!)) fail(1, `exec of "${cmd[0]}" failed: No such file or directory`);
  return ctx.proc.exec(cmd, ns);
}

function netnsIdentify(ctx: Ctx): number {
  const names = ctx.host.netnsNames().filter((n) => ctx.host.netns(n) === ctx.ns);
  ctx.proc.stdout(`${names.join(' ')}\n`);
  return 0;
}

function netnsListId(ctx: Ctx): number {
  const ids: [number, string | undefined][] = [];
  for (const other of ctx.ns.kernel.allNetns()) {
    if (other === ctx.ns) continue;
    const id = ctx.ns.peekNsid(other);
    if (id === undefined) continue;
    ids.push([id, ctx.host.nameOf(other)]);
  }
  ids.sort((a, b) => a[0] - b[0]);
  const p = printerFor(ctx.o);
  p.begin();
  for (const [id, name] of ids) {
    p.openObject();
    p.any('nsid', id, `nsid ${id} `);
    if (name !== undefined) p.any('name', name, `(iproute2 netns name: ${name})`);
    p.fp('\n');
    p.closeObject();
  }
  ctx.proc.stdout(p.end());
  return 0;
}

/** do_netns(). */
export function ipNetns(ctx: Ctx, argv: readonly string[]): number {
  if (argv.length === 0) return netnsList(ctx);
  const [cmd, ...rest] = argv as [string, ...string[]];
  if (matches(cmd, 'list') || matches(cmd, 'show') || matches(cmd, 'lst')) return netnsList(ctx);
  if (matches(cmd, 'list-id')) return netnsListId(ctx);
  if (matches(cmd, 'help')) fail(255, ...NETNS_USAGE);
  if (matches(cmd, 'add')) return netnsAdd(ctx, rest[0]);
  if (matches(cmd, 'set') || matches(cmd, 'attach') || matches(cmd, 'pids') || matches(cmd, 'monitor'))
    fail(1, `knetlab: "ip netns ${cmd}" is not emulated`);
  if (matches(cmd, 'delete')) return netnsDel(ctx, rest[0]);
  if (matches(cmd, 'identify')) return netnsIdentify(ctx);
  if (matches(cmd, 'exec')) return netnsExec(ctx, rest);
  return fail(255, `Command "${cmd}" is unknown, try "ip netns help".`);
}
