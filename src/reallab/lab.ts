// Runs a scenario on a real, throw-away Linux "lab host" and records its transcript.
//
// The lab host is a fresh `unshare -n -m -p -f --mount-proc`: its own network namespace,
// mount namespace and PID namespace (so `netns 1` / PID 1 is the lab host itself, never the
// machine's root namespace), with
//   - a private tmpfs on /run/netns, so `ip netns add|list|exec` see only the lab's names;
//   - a fresh sysfs on /sys, so tools that read sysfs (brctl) see the lab's devices;
//   - a boot prelude: `ip link set lo up` and IPv6 DAD off, so addresses never show
//     `tentative`. Namespaces the scenario creates with `ip netns add` get DAD off as well,
//     right after the command that created them (a fresh netns starts with kernel defaults).
// The prelude and this plumbing are not part of the transcript.
//
// Each scenario command runs as `bash -c CMD` in the lab host (cwd: a scratch directory,
// environment: PATH, LC_ALL=C, HOME), stdin from /dev/null, stdout and stderr captured
// apart, the exit status recorded, and the script goes on after a failure. After every
// command the runner waits (at most 2 s) until the kernel has settled: no link whose
// operstate still lags its flags (linkwatch runs asynchronously and may wait up to 1 s,
// and IPv6 link-local addresses are added when it runs) and no tentative address.
// The machine's own network namespace is never touched.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { formatTranscript, parseScenario, type TranscriptEntry } from '../transcript/index.js';

export interface RealLabOptions {
  /** Whole-scenario limit; the lab is killed after it. Default 300 s. */
  readonly timeoutMs?: number;
  /** Where the lab's work directory is made (default: the system's temporary directory). */
  readonly workRoot?: string;
  /** Limit for one command (it is killed with SIGTERM, exit 124). Default 60 s. */
  readonly commandTimeoutS?: number;
  /** Where the lab registers its work directory for `knetlab clean` (default LAB_REGISTRY; tests use their own). */
  readonly registry?: string;
}

/**
 * Where every lab (a scenario run or a LinuxHost) registers its work directory, whatever its
 * work root, so that `knetlab clean` finds the ones a killed run left: one file per lab, named
 * after the directory, holding its path and then `owner PID START`, the program that made it
 * (clean leaves a lab alone while that program runs). Root-only and cleared at boot, as
 * /run/netns is.
 */
export const LAB_REGISTRY = '/run/knetlab/labs';

export function registerLab(dir: string, registry = LAB_REGISTRY): void {
  mkdirSync(registry, { recursive: true, mode: 0o700 });
  writeFileSync(join(registry, basename(dir)), `${dir}\nowner ${process.pid} ${processStart(process.pid) ?? '?'}\n`);
}

/**
 * When a process started (clock ticks after boot, field 22 of /proc/PID/stat), or undefined when
 * there is no such process: with its PID it names one process, even after the PID is reused.
 */
export function processStart(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses; the fields after it do not.
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

export function unregisterLab(dir: string, registry = LAB_REGISTRY): void {
  rmSync(join(registry, basename(dir)), { force: true });
}

/** What a lab's programs find on PATH (never a user's pyenv or similar). */
export const LAB_ENV_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Work directories of labs are named so, under the work root: `knetlab clean` finds them by it. */
export const WORKDIR_PREFIX = 'knetlab-reallab-';

/**
 * The lab host's first steps, as its PID 1: a private /run/netns and /sys, lo up, IPv6 DAD off
 * (so addresses never show `tentative`). Fails the lab with a status of 90-93.
 */
export const LAB_PRELUDE = String.raw`
mkdir -p /run/netns && mount -t tmpfs -o mode=0755 knetlab-netns /run/netns || { echo "lab: cannot mount /run/netns" >&2; exit 90; }
mount -t sysfs sysfs /sys || { echo "lab: cannot mount /sys" >&2; exit 91; }
ip link set lo up || exit 92
sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 || exit 93
`;

// Runs as PID 1 of the lab host. $1: work directory, $2: number of commands, $3: per-command timeout.
const DRIVER = String.raw`
set +e
dir=$1; n=$2; limit=$3
${LAB_PRELUDE}
dadoff=" "

lab_namespaces() { ls /run/netns 2>/dev/null; }

# Prints what is not settled yet; prints nothing when the kernel is quiet.
unsettled() {
  local ns
  {
    ip -o link show; ip -o addr show
    for ns in $(lab_namespaces); do ip -n "$ns" -o link show; ip -n "$ns" -o addr show; done
  } 2>/dev/null | awk '
    / tentative/ { print; next }
    /^[0-9]+: [^ ]+: </ {
      match($0, /<[^>]*>/); f = "," substr($0, RSTART + 1, RLENGTH - 2) ","
      s = ""; if (match($0, / state [A-Z]+ /)) s = substr($0, RSTART + 7, RLENGTH - 8)
      up = index(f, ",UP,") > 0; lower = index(f, ",LOWER_UP,") > 0
      if ((up && lower && (s == "DOWN" || s == "LOWERLAYERDOWN")) || (up && !lower && s == "UP") || (!up && s == "UP")) print
    }'
}

settle() {
  local ns key i
  for ns in $(lab_namespaces); do
    key="$ns:$(stat -L -c %i "/run/netns/$ns" 2>/dev/null)"
    case "$dadoff" in *" $key "*) continue ;; esac
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 2>/dev/null
    dadoff="$dadoff$key "
  done
  for i in $(seq 40); do
    [ -z "$(unsettled)" ] && return 0
    sleep 0.05
  done
  unsettled | sed 's/^/lab: not settled: /' >>"$dir/lab.log"
}

cd "$dir/cwd" || exit 94
for ((i = 0; i < n; i++)); do
  timeout -k 2 "$limit" bash -c "$(cat "$dir/cmd.$i")" >"$dir/out.$i" 2>"$dir/err.$i" </dev/null
  echo $? >"$dir/rc.$i"
  settle
done
exit 0
`;

/** Why this machine cannot run a real lab (not root, no unshare, no ip), or undefined when it can. */
export function realLabUnavailableReason(): string | undefined {
  if (process.platform !== 'linux') return `the real lab needs Linux, this is ${process.platform}`;
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'the real lab needs root (unshare -n, ip netns add)';
  for (const tool of ['unshare', 'ip', 'bridge', 'brctl', 'sysctl', 'ping']) {
    const r = spawnSync('sh', ['-c', `command -v ${tool}`], { env: { PATH: LAB_ENV_PATH } });
    if (r.status !== 0) return `the real lab needs ${tool}, which is not installed`;
  }
  const probe = spawnSync('unshare', ['-n', '-m', '-p', '-f', '--mount-proc', 'true'], { env: { PATH: LAB_ENV_PATH } });
  if (probe.status !== 0) return `unshare -n -m -p -f --mount-proc fails here: ${probe.stderr.toString().trim()}`;
  return undefined;
}

/** Runs a scenario script on a fresh real lab host and returns what each command printed. */
export async function runRealEntries(script: string, options: RealLabOptions = {}): Promise<TranscriptEntry[]> {
  const commands = parseScenario(script);
  const dir = mkdtempSync(join(options.workRoot ?? tmpdir(), WORKDIR_PREFIX));
  try {
    registerLab(dir, options.registry);
    mkdirSync(join(dir, 'cwd'));
    commands.forEach((c, i) => writeFileSync(join(dir, `cmd.${i}`), `${c.text}\n`));
    writeFileSync(join(dir, 'driver.sh'), DRIVER);
    const args = [
      '-n',
      '-m',
      '-p',
      '-f',
      '--mount-proc',
      'bash',
      join(dir, 'driver.sh'),
      dir,
      String(commands.length),
      String(options.commandTimeoutS ?? 60),
    ];
    const child = spawn('unshare', args, {
      env: { PATH: LAB_ENV_PATH, LC_ALL: 'C', HOME: join(dir, 'cwd') },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let labOut = '';
    child.stdout.on('data', (d: Buffer) => (labOut += d.toString()));
    child.stderr.on('data', (d: Buffer) => (labOut += d.toString()));
    const timeoutMs = options.timeoutMs ?? 300_000;
    const status = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        reject(new Error(`Cannot run scenario on the real lab: still running after ${timeoutMs} ms`));
      }, timeoutMs);
      child.on('error', (e) => (clearTimeout(timer), reject(e)));
      child.on('close', (code) => (clearTimeout(timer), resolve(code)));
    });
    if (status !== 0) throw new Error(`Cannot run scenario on the real lab: the lab host exited with ${status}: ${labOut.trim()}`);
    const log = join(dir, 'lab.log');
    if (existsSync(log)) process.emitWarning(readFileSync(log, 'utf8').trim(), 'KnetlabRealLab');
    return commands.map((c, i) => ({
      command: c.text,
      stdout: readFileSync(join(dir, `out.${i}`), 'utf8'),
      stderr: readFileSync(join(dir, `err.${i}`), 'utf8'),
      exit: Number(readFileSync(join(dir, `rc.${i}`), 'utf8').trim()),
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
    unregisterLab(dir, options.registry);
  }
}

/** Runs a scenario script on a fresh real lab host and returns its (raw, not normalised) transcript. */
export async function runRealScenario(script: string, options: RealLabOptions = {}): Promise<string> {
  return formatTranscript(await runRealEntries(script, options));
}
