// `docker …` as the seeds type it, against the lab's docker daemon (DockerEngine): ps, inspect,
// network ls|inspect, exec, stop|start|restart, pause|unpause, port, logs. Texts follow docker/cli
// v29.7.2 and moby (file named at each); daemon errors read `Error response from daemon: …`
// (moby client/request.go), exit status 1; usage errors exit 125.
import { NODE_IMAGE_COMMANDS, NODE_IMAGE_UNEMULATED } from '../kind/index.js';
import type { DockerEngine, Container } from './engine.js';
import { all, has, last, parseFlags, UsageError, type CommandSpec, type Parsed } from './flags.js';
import { portLines, psFields } from './format.js';
import { containerDocument, indentedJson, networkDocument } from './inspect.js';
import { execArgv, runArgv, runShell, SHELLS, type ContainerShell, type Tool } from './shell.js';
import { netshootImage } from '../node/images/index.js';
import { GoTemplate, TemplateError } from '../transcript/index.js';
import type { Files, ProcNet, SysctlTable } from './files.js';

export interface DockerIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readonly stdin?: Uint8Array;
  readonly signal?: AbortSignal;
  /** The client's files (docker cp), by a path relative to its working directory. */
  readFile?(path: string): Uint8Array | undefined;
  writeFile?(path: string, data: Uint8Array): void;
  /** The client's directories (docker cp of a directory): names in one, undefined when not one; making one with its parents. */
  readDir?(path: string): string[] | undefined;
  makeDir?(path: string): void;
}

/** What the docker commands need of the lab. */
export interface DockerLab {
  readonly engine: DockerEngine;
  /** Virtual time now (ms). */
  now(): number;
  /** Lets virtual time pass (docker stop's grace period, sleep in a shell). */
  wait(ms: number): Promise<boolean>;
  /** The container's files (the node's NodeFiles). */
  files(c: Container): Files;
  /** The container's sysctl table (procfs /proc/sys), when it has a kernel of its own. */
  sysctl(c: Container): SysctlTable | undefined;
  /** The container's /proc/net, when it has a kernel of its own. */
  procNet?(c: Container): ProcNet | undefined;
  /** The emulated network tools, running on the container's kernel. */
  tools(c: Container): Readonly<Record<string, Tool>>;
  /** The container stopped or started: its network goes or comes back (the data plane's part). */
  stopped?(c: Container): void;
  started?(c: Container): void;
  /** The container's processes were frozen (docker pause) or thawed: its network stays. */
  paused?(c: Container, paused: boolean): void;
}

const FORMAT: import('./flags.js').FlagSpec = { long: 'format', value: true };
const SPECS = {
  ps: {
    path: 'docker ps',
    use: '[OPTIONS]',
    maxArgs: 0,
    flags: [
      { long: 'all', short: 'a' },
      { long: 'quiet', short: 'q' },
      { long: 'no-trunc' },
      { long: 'size', short: 's' },
      { long: 'latest', short: 'l' },
      { long: 'last', short: 'n', value: true },
      FORMAT,
      { long: 'filter', short: 'f', value: true },
    ],
  },
  inspect: {
    path: 'docker inspect',
    use: '[OPTIONS] NAME|ID [NAME|ID...]',
    minArgs: 1,
    flags: [
      { long: 'format', short: 'f', value: true },
      { long: 'size', short: 's' },
      { long: 'type', value: true },
    ],
  },
  exec: {
    path: 'docker exec',
    use: '[OPTIONS] CONTAINER COMMAND [ARG...]',
    minArgs: 2,
    stopAtArg: true,
    flags: [
      { long: 'interactive', short: 'i' },
      { long: 'tty', short: 't' },
      { long: 'detach', short: 'd' },
      { long: 'env', short: 'e', value: true },
      { long: 'user', short: 'u', value: true },
      { long: 'workdir', short: 'w', value: true },
      { long: 'privileged' },
      { long: 'detach-keys', value: true },
    ],
  },
  stop: {
    path: 'docker stop',
    use: '[OPTIONS] CONTAINER [CONTAINER...]',
    minArgs: 1,
    flags: [
      { long: 'signal', short: 's', value: true },
      { long: 'timeout', short: 't', value: true },
      { long: 'time', value: true },
    ],
  },
  restart: {
    path: 'docker restart',
    use: '[OPTIONS] CONTAINER [CONTAINER...]',
    minArgs: 1,
    flags: [
      { long: 'signal', short: 's', value: true },
      { long: 'timeout', short: 't', value: true },
      { long: 'time', value: true },
    ],
  },
  start: {
    path: 'docker start',
    use: '[OPTIONS] CONTAINER [CONTAINER...]',
    minArgs: 1,
    flags: [
      { long: 'attach', short: 'a' },
      { long: 'interactive', short: 'i' },
    ],
  },
  pause: { path: 'docker pause', use: 'CONTAINER [CONTAINER...]', minArgs: 1, flags: [] },
  unpause: { path: 'docker unpause', use: 'CONTAINER [CONTAINER...]', minArgs: 1, flags: [] },
  port: { path: 'docker port', use: 'CONTAINER [PRIVATE_PORT[/PROTO]]', minArgs: 1, maxArgs: 2, flags: [] },
  logs: {
    path: 'docker logs',
    use: '[OPTIONS] CONTAINER',
    exactArgs: 1,
    flags: [
      { long: 'follow', short: 'f' },
      { long: 'tail', short: 'n', value: true },
      { long: 'timestamps', short: 't' },
      { long: 'since', value: true },
      { long: 'until', value: true },
      { long: 'details' },
    ],
  },
  run: {
    path: 'docker run',
    use: '[OPTIONS] IMAGE [COMMAND] [ARG...]',
    minArgs: 1,
    stopAtArg: true,
    flags: [
      { long: 'detach', short: 'd' },
      { long: 'rm' },
      { long: 'name', value: true },
      { long: 'network', value: true },
      { long: 'net', value: true },
      { long: 'ip', value: true },
      { long: 'privileged' },
      { long: 'interactive', short: 'i' },
      { long: 'tty', short: 't' },
      { long: 'env', short: 'e', value: true },
      { long: 'hostname', short: 'h', value: true },
      { long: 'label', short: 'l', value: true },
      { long: 'entrypoint', value: true },
      { long: 'cap-add', value: true },
      { long: 'cap-drop', value: true },
    ],
  },
  cp: {
    path: 'docker cp',
    use: '[OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tdocker cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH',
    exactArgs: 2,
    flags: [
      { long: 'archive', short: 'a' },
      { long: 'follow-link', short: 'L' },
      { long: 'quiet', short: 'q' },
    ],
  },
  networkLs: {
    path: 'docker network ls',
    use: '[OPTIONS]',
    maxArgs: 0,
    flags: [{ long: 'quiet', short: 'q' }, { long: 'no-trunc' }, FORMAT, { long: 'filter', short: 'f', value: true }],
  },
  networkInspect: {
    path: 'docker network inspect',
    use: '[OPTIONS] NETWORK [NETWORK...]',
    minArgs: 1,
    flags: [
      { long: 'format', short: 'f', value: true },
      { long: 'verbose', short: 'v' },
    ],
  },
} satisfies Record<string, CommandSpec>;

/** Commands that only read the daemon's state (not journaled). */
export function dockerMutates(argv: readonly string[]): boolean {
  const [cmd, sub] = argv;
  if (cmd === 'ps' || cmd === 'inspect' || cmd === 'port' || cmd === 'logs' || cmd === 'images' || cmd === undefined) return false;
  if (cmd === 'network' && (sub === 'ls' || sub === 'list' || sub === 'inspect')) return false;
  return true;
}

class DaemonError extends Error {}
const noSuchContainer = (ref: string) => new DaemonError(`No such container: ${ref}`); // moby daemon/container/view.go

/** Go's text/tabwriter as docker/cli's formatter sets it (minwidth 10, padding 3): cells end with '\t'. */
function tabwrite(rows: readonly string[][]): string {
  const widths: number[] = [];
  for (const r of rows) for (let i = 0; i < r.length - 1; i++) widths[i] = Math.max(widths[i] ?? 10, [...r[i]!].length + 3);
  return (
    rows.map((r) => r.map((cell, i) => (i < r.length - 1 ? cell + ' '.repeat(widths[i]! - [...cell].length) : cell)).join('')).join('\n') +
    (rows.length ? '\n' : '')
  );
}

/** A --format value: `table` prefix, Go-escaped \t and \n as docker/cli's formatter.Format takes them. */
function formatTemplate(format: string): { table: boolean; body: string } {
  const table = format.startsWith('table');
  const body = (table ? format.slice(5).replace(/^\s/, '') : format).replace(/\\t/g, '\t').replace(/\\n/g, '\n');
  return { table, body };
}

const PS_HEADERS: Record<string, string> = {
  ID: 'CONTAINER ID',
  Names: 'NAMES',
  Image: 'IMAGE',
  Command: 'COMMAND',
  CreatedAt: 'CREATED AT',
  RunningFor: 'CREATED',
  Ports: 'PORTS',
  State: 'STATE',
  Status: 'STATUS',
  Size: 'SIZE',
  Labels: 'LABELS',
  Mounts: 'MOUNTS',
  Networks: 'NETWORKS',
  LocalVolumes: 'LOCAL VOLUMES',
};
const PS_DEFAULT = 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}';

/** Renders rows through a --format template; a `table` format gets a header row from the field names. */
function renderRows(format: string, rows: readonly Record<string, string>[], headers: Record<string, string>): string {
  const { table, body } = formatTemplate(format);
  const tmpl = GoTemplate.parse(body);
  const lines: string[] = [];
  if (table) lines.push(tmpl.execute(Object.fromEntries(Object.keys(headers).map((k) => [k, headers[k]!]))));
  for (const r of rows) lines.push(tmpl.execute(r));
  if (!table) return lines.map((l) => `${l}\n`).join('');
  return tabwrite(
    lines
      .join('\n')
      .split('\n')
      .map((l) => l.split('\t')),
  );
}

function ps(lab: DockerLab, p: Parsed, io: DockerIo): number {
  const allFlag = has(p, 'all');
  const filters = all(p, 'filter');
  let list = lab.engine.list(allFlag || has(p, 'latest') || p.flags.has('last'));
  for (const f of filters) {
    const [k, v = ''] = f.split(/=(.*)/s) as [string, string?];
    if (k === 'label') {
      const [lk, lv] = v.split(/=(.*)/s) as [string, string?];
      list = list.filter((c) => Object.hasOwn(c.labels, lk) && (lv === undefined || c.labels[lk] === lv));
    } else if (k === 'name') list = list.filter((c) => c.name.includes(v));
    else if (k === 'status') list = list.filter((c) => c.status === v);
    else if (k === 'network') list = list.filter((c) => c.network === v);
    else {
      io.stderr(`Error response from daemon: invalid filter '${k}'\n`);
      return 1;
    }
  }
  if (has(p, 'latest')) list = list.slice(0, 1);
  const n = last(p, 'last');
  if (n !== undefined && Number(n) >= 0) list = list.slice(0, Number(n));
  const trunc = !has(p, 'no-trunc');
  const rows = list.map((c) => psFields(c, lab.now(), trunc));
  const format = has(p, 'quiet') ? '{{.ID}}' : (last(p, 'format') ?? PS_DEFAULT);
  io.stdout(renderRows(format === 'table' ? PS_DEFAULT : format, rows, PS_HEADERS));
  return 0;
}

function networkLs(lab: DockerLab, p: Parsed, io: DockerIo): number {
  const trunc = !has(p, 'no-trunc');
  const nets = [...lab.engine.networks].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const rows = nets.map((n) => ({
    ID: trunc ? n.id.slice(0, 12) : n.id,
    Name: n.name,
    Driver: n.driver,
    Scope: 'local',
    IPv6: 'false',
    Internal: 'false',
    Labels: '',
    CreatedAt: '',
  }));
  const format = has(p, 'quiet') ? '{{.ID}}' : (last(p, 'format') ?? 'table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}');
  // docker/cli cli/command/network/formatter.go: NETWORK ID, NAME, DRIVER, SCOPE.
  io.stdout(
    renderRows(format, rows, {
      ID: 'NETWORK ID',
      Name: 'NAME',
      Driver: 'DRIVER',
      Scope: 'SCOPE',
      IPv6: 'IPV6',
      Internal: 'INTERNAL',
      Labels: 'LABELS',
      CreatedAt: 'CREATED AT',
    }),
  );
  return 0;
}

/** docker/cli cli/command/inspect/inspector.go: documents through -f, or the indented JSON array. */
function inspectOut(docs: readonly Record<string, unknown>[], errors: readonly string[], format: string | undefined, io: DockerIo): number {
  if (format === undefined || format === '') {
    io.stdout(indentedJson(docs));
  } else if (format === 'json') {
    io.stdout(`${docs.map((d) => JSON.stringify(d)).join('\n')}\n`);
  } else {
    let tmpl: GoTemplate;
    try {
      tmpl = GoTemplate.parse(format);
    } catch (e) {
      if (!(e instanceof TemplateError)) throw e;
      io.stderr(`template parsing error: ${e.message}\n`);
      return 64;
    }
    let out = '';
    const errs = [...errors];
    for (const d of docs) {
      try {
        out += `${tmpl.execute(d)}\n`;
      } catch (e) {
        if (!(e instanceof TemplateError)) throw e;
        errs.push(`template parsing error: ${e.message}`);
      }
    }
    io.stdout(out === '' ? '\n' : out);
    if (errs.length) {
      io.stderr(`${errs.join('\n')}\n`);
      return 1;
    }
    return 0;
  }
  if (errors.length) {
    io.stderr(`${errors.join('\n')}\n`);
    return 1;
  }
  return 0;
}

function inspect(lab: DockerLab, p: Parsed, io: DockerIo): number {
  const type = last(p, 'type');
  const docs: Record<string, unknown>[] = [];
  const errors: string[] = [];
  for (const ref of p.args) {
    const c = type === undefined || type === 'container' ? lab.engine.find(ref) : undefined;
    const n = !c && (type === undefined || type === 'network') ? lab.engine.network(ref) : undefined;
    if (c) docs.push(containerDocument(c, lab.engine));
    else if (n) docs.push(networkDocument(n, lab.engine));
    else errors.push(`error: no such object: ${ref}`); // docker/cli cli/command/system/inspect.go
  }
  return inspectOut(docs, errors, last(p, 'format'), io);
}

function networkInspect(lab: DockerLab, p: Parsed, io: DockerIo): number {
  const docs: Record<string, unknown>[] = [];
  const errors: string[] = [];
  for (const ref of p.args) {
    const n = lab.engine.network(ref);
    if (n) docs.push(networkDocument(n, lab.engine));
    else errors.push(`Error response from daemon: network ${ref} not found`); // moby daemon/libnetwork/error.go
  }
  return inspectOut(docs, errors, last(p, 'format'), io);
}

function running(lab: DockerLab, ref: string): Container {
  const c = lab.engine.find(ref);
  if (!c) throw noSuchContainer(ref);
  // moby daemon/container/container.go, daemon/errors.go
  if (c.status === 'paused') throw new DaemonError(`Container ${c.id} is paused, unpause the container before exec`);
  if (c.status !== 'running') throw new DaemonError(`container ${c.id} is not running`);
  return c;
}

const IMAGE_COMMANDS = [...NODE_IMAGE_COMMANDS, ...NODE_IMAGE_UNEMULATED, ...netshootImage.commands];

/** The shell of one process in the container: its env (plus -e), its files, its kernel's tools. */
function containerShell(
  lab: DockerLab,
  c: Container,
  extraEnv: readonly string[],
  tty: boolean,
  signal: AbortSignal | undefined,
): ContainerShell {
  // moby's CreateDaemonEnvironment: PATH, HOSTNAME (and TERM for a tty) first, then the
  // container's Env and exec's -e, each replacing a variable in place or appended; runc adds HOME
  // last when it is still unset.
  const env: Record<string, string> = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOSTNAME: c.hostname };
  if (tty) env.TERM = 'xterm';
  for (const kv of [...c.env, ...extraEnv]) {
    const eq = kv.indexOf('=');
    if (eq > 0) env[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  env.HOME ??= '/root';
  return {
    files: lab.files(c),
    sysctl: lab.sysctl(c),
    procNet: lab.procNet?.(c),
    hostname: c.hostname,
    env,
    tools: lab.tools(c),
    now: () => lab.now(),
    sleep: async (ms) => void (await lab.wait(ms)),
    ...(signal ? { signal } : {}),
  };
}

async function exec(lab: DockerLab, p: Parsed, io: DockerIo): Promise<number> {
  const [ref, ...argv] = p.args as [string, ...string[]];
  const c = running(lab, ref);
  const shell = containerShell(lab, c, all(p, 'env'), has(p, 'tty'), io.signal);
  const stdin = has(p, 'interactive') && io.stdin ? new TextDecoder().decode(io.stdin) : undefined;
  const r = await execArgv(shell, IMAGE_COMMANDS, argv, stdin);
  if (r === undefined) {
    const name = argv[0]!;
    // UNVERIFIED (kind-kubernetes-facts §5): runc's message through containerd and the daemon, exit 127.
    io.stderr(
      `OCI runtime exec failed: exec failed: unable to start container process: exec: "${name}": ${name.includes('/') ? 'stat ' + name + ': no such file or directory' : 'executable file not found in $PATH'}: unknown\n`,
    );
    return 127;
  }
  io.stdout(r.stdout);
  io.stderr(r.stderr);
  return r.status;
}

const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15, SIGUSR1: 10, SIGUSR2: 12 };

function signalNumber(s: string): number | undefined {
  if (/^\d+$/.test(s)) return Number(s);
  const up = s.toUpperCase();
  return SIGNALS[up.startsWith('SIG') ? up : `SIG${up}`];
}

/**
 * docker stop: the stop signal, then SIGKILL after the timeout (10 s). A kind node's systemd
 * halts on SIGRTMIN+3 and exits 130; SIGKILL gives 137; PID 1 of a plain container (no handlers)
 * ignores SIGTERM, so it waits out the timeout and is killed (137). UNVERIFIED: kind's exit code.
 */
async function stopOne(lab: DockerLab, c: Container, signal: string | undefined, timeoutS: number): Promise<void> {
  if (c.status !== 'running' && c.status !== 'paused') return;
  const sig = signal === undefined ? undefined : signalNumber(signal);
  let code: number;
  if (sig === 9) code = 137;
  else if (c.kind && signal === undefined) code = 130;
  else {
    await lab.wait(timeoutS * 1000);
    code = 137;
  }
  lab.engine.exited(c, code);
  lab.stopped?.(c);
  if (c.autoRemove) lab.engine.remove(c);
}

async function stopCmd(lab: DockerLab, p: Parsed, io: DockerIo, restart: boolean): Promise<number> {
  const signal = last(p, 'signal');
  if (signal !== undefined && signalNumber(signal) === undefined) {
    io.stderr(`Error response from daemon: Invalid signal: ${signal}\n`);
    return 1;
  }
  const timeout = Number(last(p, 'timeout') ?? last(p, 'time') ?? 10);
  let status = 0;
  for (const ref of p.args) {
    const c = lab.engine.find(ref);
    if (!c) {
      io.stderr(`Error response from daemon: ${noSuchContainer(ref).message}\n`);
      status = 1;
      continue;
    }
    await stopOne(lab, c, signal, timeout);
    if (restart && lab.engine.find(c.id)) {
      lab.engine.started(c);
      lab.started?.(c);
    }
    io.stdout(`${ref}\n`);
  }
  return status;
}

function startCmd(lab: DockerLab, p: Parsed, io: DockerIo): number {
  const failed: string[] = [];
  for (const ref of p.args) {
    const c = lab.engine.find(ref);
    if (!c) {
      io.stderr(`Error response from daemon: ${noSuchContainer(ref).message}\n`);
      failed.push(ref);
      continue;
    }
    if (c.status === 'paused') {
      // moby daemon/start.go
      io.stderr(`Error response from daemon: cannot start a paused container, try unpause instead\n`);
      failed.push(ref);
      continue;
    }
    if (c.status !== 'running') {
      lab.engine.started(c);
      lab.started?.(c);
    }
    io.stdout(`${ref}\n`);
  }
  if (failed.length) {
    io.stderr(`failed to start containers: ${failed.join(', ')}\n`); // docker/cli cli/command/container/start.go
    return 1;
  }
  return 0;
}

function pauseCmd(lab: DockerLab, p: Parsed, io: DockerIo, pause: boolean): number {
  let status = 0;
  for (const ref of p.args) {
    const c = lab.engine.find(ref);
    let err: string | undefined;
    if (!c) err = noSuchContainer(ref).message;
    // moby daemon/pause.go, daemon/unpause.go
    else if (pause && c.status === 'paused') err = `container ${c.id} is already paused`;
    else if (pause && c.status !== 'running') err = `container ${c.id} is not running`;
    else if (!pause && c.status !== 'paused') err = `container ${c.id} is not paused`;
    if (err) {
      io.stderr(`Error response from daemon: ${err}\n`);
      status = 1;
      continue;
    }
    c!.status = pause ? 'paused' : 'running';
    lab.paused?.(c!, pause);
    io.stdout(`${ref}\n`);
  }
  return status;
}

function portCmd(lab: DockerLab, p: Parsed, io: DockerIo): number {
  const [ref, want] = p.args as [string, string?];
  const c = lab.engine.find(ref);
  if (!c) throw noSuchContainer(ref);
  if (want !== undefined) {
    const [port, proto = 'tcp'] = want.split('/');
    const hits = c.ports.filter((x) => String(x.containerPort) === port && x.proto === proto);
    // docker/cli cli/command/container/port.go
    if (hits.length === 0) {
      io.stderr(`no public port '${want}' published for ${ref}\n`);
      return 1;
    }
    io.stdout(hits.map((h) => `${h.hostIp}:${h.hostPort}\n`).join(''));
    return 0;
  }
  const lines = portLines(c);
  if (lines.length) io.stdout(`${lines.join('\n')}\n`);
  return 0;
}

function logsCmd(lab: DockerLab, p: Parsed, io: DockerIo): number {
  const c = lab.engine.find(p.args[0]!);
  if (!c) throw noSuchContainer(p.args[0]!);
  io.stdout(c.log);
  return 0;
}

/** docker run's daemon errors: `docker: Error response from daemon: …` and --help, exit 125 (docker/cli run.go toStatusError). */
function runError(io: DockerIo, why: string): number {
  io.stderr(`docker: Error response from daemon: ${why}\n\nRun 'docker run --help' for more information\n`);
  return 125;
}

const NAME = /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/; // moby daemon/names: validContainerNamePattern

/** The capabilities the daemon knows (moby oci/caps knownCapabilities: Linux's, up to CAP_CHECKPOINT_RESTORE). */
const CAPABILITIES = new Set(
  [
    'CHOWN',
    'DAC_OVERRIDE',
    'DAC_READ_SEARCH',
    'FOWNER',
    'FSETID',
    'KILL',
    'SETGID',
    'SETUID',
    'SETPCAP',
    'LINUX_IMMUTABLE',
    'NET_BIND_SERVICE',
    'NET_BROADCAST',
    'NET_ADMIN',
    'NET_RAW',
    'IPC_LOCK',
    'IPC_OWNER',
    'SYS_MODULE',
    'SYS_RAWIO',
    'SYS_CHROOT',
    'SYS_PTRACE',
    'SYS_PACCT',
    'SYS_ADMIN',
    'SYS_BOOT',
    'SYS_NICE',
    'SYS_RESOURCE',
    'SYS_TIME',
    'SYS_TTY_CONFIG',
    'MKNOD',
    'LEASE',
    'AUDIT_WRITE',
    'AUDIT_CONTROL',
    'SETFCAP',
    'MAC_OVERRIDE',
    'MAC_ADMIN',
    'SYSLOG',
    'WAKE_ALARM',
    'BLOCK_SUSPEND',
    'AUDIT_READ',
    'PERFMON',
    'BPF',
    'CHECKPOINT_RESTORE',
  ].map((c) => `CAP_${c}`),
);

/**
 * docker/cli opts.EffectiveCapAddCapDrop: names upper-cased with CAP_ before them (ALL kept), duplicates
 * gone, sorted; a capability both added and dropped is only added; ALL trumps the others.
 */
function effectiveCaps(add: readonly string[], drop: readonly string[]): { capAdd: string[]; capDrop: string[] } {
  const norm = (list: readonly string[]) => {
    const set = new Set(list.map((c) => c.trim().toUpperCase()).map((c) => (c === 'ALL' || c.startsWith('CAP_') ? c : `CAP_${c}`)));
    return set.has('ALL') ? new Set(['ALL']) : set;
  };
  const adds = norm(add);
  const drops = norm(drop);
  return { capAdd: [...adds].sort(), capDrop: [...drops].filter((c) => !adds.has(c) && c !== 'RESET' && c !== 'CAP_RESET').sort() };
}

/** moby daemon validateCapabilities (NormalizeLegacyCapabilities): the first unknown name. */
function capabilityError(capAdd: readonly string[], capDrop: readonly string[]): string | undefined {
  for (const [field, list] of [
    ['CapAdd', capAdd],
    ['CapDrop', capDrop],
  ] as const) {
    const bad = list.find((c) => c !== 'ALL' && !CAPABILITIES.has(c));
    if (bad) return `invalid ${field}: unknown capability: "${bad}"`;
  }
  return undefined;
}

/**
 * docker run on a network (the seeds' `mypc` on `kind`): a container with the next free address, or
 * the one --ip asks for inside the network's subnet. Detached, it prints its ID; attached, it runs
 * its command and exits with it.
 */
async function runCmd(lab: DockerLab, p: Parsed, io: DockerIo): Promise<number> {
  const [image, ...cmd] = p.args as [string, ...string[]];
  const name = last(p, 'name');
  if (name !== undefined && !NAME.test(name))
    return runError(io, `Invalid container name (${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
  const taken = name === undefined ? undefined : lab.engine.byName(name.replace(/^\//, ''));
  // moby daemon/errors.go nameConflictError
  if (taken)
    return runError(
      io,
      `Conflict. The container name "/${taken.name}" is already in use by container "${taken.id}". You have to remove (or rename) that container to be able to reuse that name.`,
    );
  const netName = last(p, 'network') ?? last(p, 'net') ?? 'bridge';
  const net = lab.engine.network(netName);
  if (!net) return runError(io, `network ${netName} not found`);
  if (net.driver !== 'bridge') {
    io.stderr(`knetlab: docker run --network ${netName}: only bridge networks are emulated\n`);
    return 125;
  }
  const want = last(p, 'ip');
  let ip: string;
  if (want !== undefined) {
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(want) || want.split('.').some((b) => Number(b) > 255))
      return runError(io, `invalid IPv4 address: ${want}`);
    // moby daemon/libnetwork/endpoint.go
    if (!inSubnet(want, net.subnet!)) return runError(io, `invalid address ${want}: It does not belong to any of this network's subnets`);
    if (lab.engine.list(true).some((c) => c.network === net.name && c.ip === want))
      return runError(io, `failed to set up container networking: Address already in use`);
    ip = want;
  } else ip = lab.engine.freeIp(net);
  const { capAdd, capDrop } = effectiveCaps(all(p, 'cap-add'), all(p, 'cap-drop'));
  const badCap = capabilityError(capAdd, capDrop);
  if (badCap) return runError(io, badCap);
  const env = all(p, 'env').filter((kv) => kv.includes('='));
  const entry = last(p, 'entrypoint');
  const c = lab.engine.create({
    name: name?.replace(/^\//, '') ?? lab.engine.randomName(),
    image,
    entrypoint: entry ? [entry] : [],
    cmd,
    env: [...env, 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
    ...(capAdd.length ? { capAdd } : {}),
    ...(capDrop.length ? { capDrop } : {}),
    ip,
    network: net.name,
    privileged: has(p, 'privileged'),
    tty: has(p, 'tty'),
    autoRemove: has(p, 'rm'),
    labels: Object.fromEntries(all(p, 'label').map((l) => [l.split('=')[0]!, l.slice(l.indexOf('=') + 1)])),
    ...(last(p, 'hostname') ? { hostname: last(p, 'hostname')! } : {}),
  });
  lab.started?.(c);
  if (has(p, 'detach')) {
    io.stdout(`${c.id}\n`);
    return 0;
  }
  // Attached: the container's command is its main process; it exits with it.
  const argv = [...c.entrypoint, ...c.cmd];
  const shell = containerShell(lab, c, [], has(p, 'tty'), io.signal);
  const r =
    argv.length === 0
      ? { status: 0, stdout: '', stderr: '' }
      : SHELLS.has(argv[0]!)
        ? await runShell(shell, IMAGE_COMMANDS, argv)
        : await runArgv(shell, IMAGE_COMMANDS, argv);
  io.stdout(r.stdout);
  io.stderr(r.stderr);
  c.log += r.stdout + r.stderr;
  lab.engine.exited(c, r.status);
  lab.stopped?.(c);
  if (c.autoRemove) lab.engine.remove(c);
  return r.status;
}

function inSubnet(ip: string, cidr: string): boolean {
  const [base, len] = cidr.split('/') as [string, string];
  const n = (a: string) => a.split('.').reduce((acc, b) => acc * 256 + Number(b), 0);
  const size = 2 ** (32 - Number(len));
  return Math.floor(n(ip) / size) === Math.floor(n(base) / size);
}

const basename = (p: string) => p.replace(/\/+$/, '').slice(p.replace(/\/+$/, '').lastIndexOf('/') + 1);

/**
 * docker cp between the client's files and a container's (docker/cli cli/command/container/cp.go;
 * moby daemon/errors.go for a missing file). Regular files only; no progress line, as on a
 * client without a terminal.
 */
function cpCmd(lab: DockerLab, p: Parsed, io: DockerIo): number {
  const [src, dst] = p.args as [string, string];
  const ref = (a: string) => {
    const m = /^([^/.:][^:]*):(.*)$/.exec(a); // a local path may hold ':' when it starts with / or .
    return m ? { name: m[1]!, path: m[2]! } : undefined;
  };
  const from = ref(src);
  const to = ref(dst);
  // cp.go: plain errors (exit 1), not usage errors
  if ((from && to) || (!from && !to)) {
    io.stderr(`${from ? 'copying between containers is not supported' : 'must specify at least one container source'}\n`);
    return 1;
  }
  if (src === '-' || dst === '-') {
    io.stderr('knetlab: docker cp with a tar stream on stdin or stdout is not emulated\n');
    return 1;
  }
  const spec = from ?? to!;
  const c = lab.engine.find(spec.name);
  if (!c) throw noSuchContainer(spec.name);
  const files = lab.files(c);
  const abs = (x: string) => (x.startsWith('/') ? x : `/${x}`);
  if (from) {
    const path = abs(from.path);
    const st = files.stat(path);
    if (!st) throw new DaemonError(`Could not find the file ${path} in container ${spec.name}`);
    const local = io.readDir?.(dst) !== undefined ? 'dir' : io.readFile?.(dst) !== undefined ? 'file' : undefined;
    if (st.type === 'dir') {
      // archive.CopyInfoDestinationPath: a directory onto a file is refused; into a directory it goes
      // in by its name (its contents with SRC ending in /.); a missing DEST becomes the copy
      if (local === 'file') return cpError(io, 'cannot copy directory');
      if (!io.makeDir) return cpError(io, "knetlab: this front end cannot make the client's directories");
      const target =
        local === 'dir' && !/\/\.$/.test(from.path) ? `${dst.replace(/\/+$/, '')}/${basename(path)}` : dst.replace(/\/+$/, '') || '/';
      copyTreeOut(files, path, target, io);
      return 0;
    }
    // archive.CopyInfoDestinationPath: a DEST asserting a directory (trailing /) that does not exist
    if (local === undefined && dst.endsWith('/') && io.readDir) return cpError(io, 'no such directory');
    const target = local === 'dir' || dst === '.' ? `${dst.replace(/\/+$/, '')}/${basename(path)}` : dst;
    io.writeFile!(target, files.read(path) ?? new Uint8Array());
    return 0;
  }
  const srcDir = io.readDir?.(src.replace(/\/\.$/, '') || '.');
  const data = srcDir === undefined ? io.readFile!(src) : undefined;
  if (!data && srcDir === undefined) {
    io.stderr(`lstat ${src}: no such file or directory\n`);
    return 1;
  }
  let path = abs(to!.path);
  const st = files.stat(path);
  if (srcDir !== undefined) {
    if (st && st.type !== 'dir') return cpError(io, 'cannot copy directory');
    if (st && !/\/\.$/.test(src)) path = `${path.replace(/\/+$/, '')}/${basename(src)}`;
    const parent = path.replace(/\/+$/, '').slice(0, path.replace(/\/+$/, '').lastIndexOf('/')) || '/';
    if (files.stat(parent)?.type !== 'dir') throw new DaemonError(`Could not find the file ${parent} in container ${spec.name}`);
    copyTreeIn(io, src.replace(/\/\.$/, ''), files, path.replace(/\/+$/, '') || '/');
    return 0;
  }
  if (st?.type === 'dir' || path.endsWith('/')) {
    if (!st) throw new DaemonError(`Could not find the file ${path} in container ${spec.name}`);
    path = `${path.replace(/\/+$/, '')}/${basename(src)}`;
  }
  const parent = path.slice(0, path.lastIndexOf('/')) || '/';
  if (files.stat(parent)?.type !== 'dir') throw new DaemonError(`Could not find the file ${parent} in container ${spec.name}`);
  // The mode comes with the file (a tar header); the client's mode is not known here: 0755 keeps a binary runnable.
  files.write(path, data!, { mode: 0o755 });
  return 0;
}

/** cp.go's plain errors: the text, exit 1. */
function cpError(io: DockerIo, text: string): number {
  io.stderr(`${text}\n`);
  return 1;
}

/** A container directory's tree onto the client's disk at `to` (made, with every subdirectory). */
function copyTreeOut(files: Files, from: string, to: string, io: DockerIo): void {
  io.makeDir!(to);
  for (const name of files.list(from) ?? []) {
    const at = from === '/' ? `/${name}` : `${from}/${name}`;
    if (files.stat(at)?.type === 'dir') copyTreeOut(files, at, `${to}/${name}`, io);
    else io.writeFile!(`${to}/${name}`, files.read(at) ?? new Uint8Array());
  }
}

/** A client directory's tree into the container at `to` (files 0755, as a single file copied in). */
function copyTreeIn(io: DockerIo, from: string, files: Files, to: string): void {
  files.mkdirp(to);
  for (const name of io.readDir!(from) ?? []) {
    const local = `${from.replace(/\/+$/, '')}/${name}`;
    const at = to === '/' ? `/${name}` : `${to}/${name}`;
    if (io.readDir!(local) !== undefined) copyTreeIn(io, local, files, at);
    else {
      const data = io.readFile!(local);
      if (data) files.write(at, data, { mode: 0o755 });
    }
  }
}

/** Runs `docker ARGV…`; returns the exit status. */
export async function runDocker(lab: DockerLab, argv: readonly string[], io: DockerIo): Promise<number> {
  lab.engine.sync();
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'ps':
        return ps(lab, parseFlags(SPECS.ps, rest), io);
      case 'inspect':
        return inspect(lab, parseFlags(SPECS.inspect, rest), io);
      case 'exec':
        return await exec(lab, parseFlags(SPECS.exec, rest), io);
      case 'stop':
        return await stopCmd(lab, parseFlags(SPECS.stop, rest), io, false);
      case 'restart':
        return await stopCmd(lab, parseFlags(SPECS.restart, rest), io, true);
      case 'start':
        return startCmd(lab, parseFlags(SPECS.start, rest), io);
      case 'pause':
        return pauseCmd(lab, parseFlags(SPECS.pause, rest), io, true);
      case 'unpause':
        return pauseCmd(lab, parseFlags(SPECS.unpause, rest), io, false);
      case 'port':
        return portCmd(lab, parseFlags(SPECS.port, rest), io);
      case 'logs':
        return logsCmd(lab, parseFlags(SPECS.logs, rest), io);
      case 'cp':
        return cpCmd(lab, parseFlags(SPECS.cp, rest), io);
      case 'run':
        return await runCmd(lab, parseFlags(SPECS.run, rest), io);
      case 'network': {
        const [sub, ...more] = rest;
        if (sub === 'ls' || sub === 'list') return networkLs(lab, parseFlags(SPECS.networkLs, more), io);
        if (sub === 'inspect') return networkInspect(lab, parseFlags(SPECS.networkInspect, more), io);
        // docker/cli cli/required.go NoArgs on a command with subcommands
        io.stderr(
          sub === undefined
            ? `\nUsage:  docker network COMMAND\n\nManage networks\n\nRun 'docker network COMMAND --help' for more information on a command.\n`
            : `docker: unknown command: docker network ${sub}\n\nUsage:  docker network COMMAND\n\nRun 'docker network --help' for more information\n`,
        );
        return sub === undefined ? 0 : 1;
      }
      case undefined:
        io.stderr(
          `Usage:  docker [OPTIONS] COMMAND\n\nknetlab emulates: cp, exec, inspect, logs, network ls|inspect, pause, port, ps, restart, run, start, stop, unpause\n`,
        );
        return 0;
      default:
        // docker/cli cmd/docker/docker.go
        io.stderr(`docker: unknown command: docker ${cmd}\n\nRun 'docker --help' for more information\n`);
        return 1;
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`${e.message}\n`);
      return 125;
    }
    if (e instanceof DaemonError) {
      io.stderr(`Error response from daemon: ${e.message}\n`);
      return 1;
    }
    if (e instanceof TemplateError) {
      io.stderr(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
