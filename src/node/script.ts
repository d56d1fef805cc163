// A container whose program is a shell script (`sh -c "echo The app is running! && sleep 3600"`,
// an init container's `until nslookup …; do echo waiting…; sleep 2; done`) or a plain command of
// its image (`sleep 3600`, `nslookup x`): it runs in the container's own shell, the one `kubectl
// exec` gets (its files, its image's commands, its environment), in virtual time. What it writes
// is the container's log as it goes; its exit status is the container's. Coarse: only `sleep`
// (and the network tools' own waits) take virtual time; every other command takes none.
import type { Scheduler } from '../sim/index.js';
import { markResumed, sleepOn } from './continuations.js';
import { containerArgv, containerEnv, type WorkloadImage } from './images/index.js';
import type { ContainerProgram } from './kubelet.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The kubelet's default containerLogMaxSize (10Mi). */
const LOG_MAX = 10 * 1024 * 1024;

/** The shells a command line names (the images' /bin/sh, bash, ash, zsh). */
export const SHELL = /^(\/(usr\/)?bin\/)?(sh|ash|bash|zsh)$/;

/**
 * The argv the container's script path runs for `container` of `image`, or undefined when it is
 * not one: the image's own program (a server knetlab emulates), a bare interactive shell, a
 * container attached to (stdin), or a command the image does not have. A shell's options and
 * arguments (`sh -ec SCRIPT NAME ARG`) are the runtime's to read, as the shell reads them.
 */
export function scriptArgv(image: WorkloadImage | undefined, container: Obj): string[] | undefined {
  if (!image?.shell || container.stdin === true) return undefined;
  const argv = containerArgv(image, container);
  if (argv.length === 0 || image.program(argv, containerEnv(container))) return undefined;
  // by its name in $PATH: the container's files hold the image's commands in /usr/bin only
  const name = argv[0]!.slice(argv[0]!.lastIndexOf('/') + 1);
  if (!image.commands.includes(name)) return undefined;
  if (!SHELL.test(name)) return [name, ...argv.slice(1)];
  // a shell reading its stdin waits for it (workload.ts); one with a script file or -c runs it
  const operand = argv.some((a, i) => i > 0 && !a.startsWith('-') && !a.startsWith('+') && argv[i - 1] !== '-o');
  if (!operand && !argv.some((a, i) => i > 0 && /^-[a-zA-Z]*c[a-zA-Z]*$/.test(a))) return undefined;
  return argv;
}

/** What the script's shell is given by the kubelet's side: where its output goes, its sleep, its end. */
export interface ScriptHooks {
  log(text: string): void;
  sleep(ms: number): Promise<void>;
  readonly signal: AbortSignal;
}

/** Runs the argv in the container's shell with those hooks (the runtime's exec); undefined: not found. */
export type ScriptStart = (
  hooks: ScriptHooks,
) => Promise<{ readonly status: number; readonly stdout: string; readonly stderr: string } | undefined>;

/** A container program that ends: `onExit` hears its exit status once. */
export interface ScriptProgram extends ContainerProgram {
  onExit(fn: (exitCode: number) => void): void;
}

/**
 * Runs the container's main process through `start` (scriptArgv's argv in its shell). It starts in a later microtask (the
 * kubelet has written the container's status by then, and the pod's IP is known); stop() ends it
 * at its next command (`sleep` ends at once), silently.
 */
export function runScript(clock: Scheduler, start: ScriptStart): ScriptProgram {
  const abort = new AbortController();
  let log = '';
  // the kubelet rotates a container's log at containerLogMaxSize (10Mi) and kubectl logs reads the
  // current file; coarse: the last 10 MiB are kept, from a line's start
  const lastMiB = () => {
    if (log.length <= LOG_MAX) return log;
    const cut = log.indexOf('\n', log.length - LOG_MAX);
    return (log = cut < 0 ? log.slice(-LOG_MAX) : log.slice(cut + 1));
  };
  const write = (t: string) => {
    log += t;
    // cut once twice as much is held, not at every write past the limit (a copy of 10 MiB each)
    if (log.length > 2 * LOG_MAX) lastMiB();
  };
  let exitCode: number | undefined;
  const waiting: ((code: number) => void)[] = [];
  const end = (code: number) => {
    if (abort.signal.aborted || exitCode !== undefined) return;
    exitCode = code;
    for (const fn of waiting.splice(0)) fn(code);
  };
  markResumed(clock); // the lab's waits give it its first turn before the clock moves
  void Promise.resolve()
    .then(async () => {
      if (abort.signal.aborted) return;
      const r = await start({
        log: write,
        sleep: (ms) => sleepOn(clock, ms, abort.signal),
        signal: abort.signal,
      });
      write((r?.stdout ?? '') + (r?.stderr ?? ''));
      end(r?.status ?? 127);
    })
    .catch((e: unknown) => {
      // just-bash's own failure (a limit it enforces): the script dies with it
      write(`knetlab: ${e instanceof Error ? e.message : String(e)}\n`);
      end(2);
    });
  return {
    stop: () => abort.abort(),
    logs: lastMiB,
    onExit: (fn) => (exitCode === undefined ? void waiting.push(fn) : fn(exitCode)),
  };
}
