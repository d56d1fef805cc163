// A container's main script writes its log as it goes, not when it ends: just-bash hands back a
// script's output only once the whole script has run, so an `until …; do echo waiting; sleep 2;
// done` would show nothing in `kubectl logs` while it loops. The script is rewritten (a just-bash
// transform) so that each command whose output reaches the script's stdout or stderr appends it to
// /proc/1/fd/1, which the shell's files turn into the container's log, as the real path is PID 1's
// stdout. Coarse: a function's or a redirected compound's output arrives when it ends; `trap`
// is a no-op (signals are not delivered; a stopped container's script ends at its next command).
import type { Bash, FsStat } from 'just-bash/browser';
import { NodeShellFs, normalize } from './files.js';
import { PACE_PATH, PACE_TRACE } from './pacing.js';
import type { Node } from './ast.js';

/** PID 1's stdout and stderr in the container: what is written there is the container's log. */
const LOG_PATHS = new Set(['/proc/1/fd/1', '/proc/1/fd/2']);
/**
 * Where the rewritten script sends each command's stdout and stderr: `${COMMAND_LOG}/N/1` and
 * `/N/2` for its Nth command, so that the log can put a command's stderr (its `set -x` trace line,
 * its errors) before its stdout, as the shell wrote them; just-bash hands a command's stdout over
 * first.
 */
const COMMAND_LOG = '/proc/1/fd/.knetlab-command';
const COMMAND_PATH = /^\/proc\/1\/fd\/\.knetlab-command\/(\d+)\/([12])$/;
let commands = 0;

const redirect = (fd: number, command: number) => ({
  type: 'Redirection',
  fd,
  operator: '>>',
  target: { type: 'Word', parts: [{ type: 'Literal', value: `${COMMAND_LOG}/${command}/${fd}` }] },
});

/** Sends the output of each command of `statements` that reaches the script's own stdout/stderr to the log. */
function toLog(statements: readonly Node[]): void {
  for (const st of statements)
    for (const pl of st.pipelines as Node[]) {
      const cmds = pl.commands as Node[];
      cmds.forEach((c, i) => {
        const last = i === cmds.length - 1;
        // a command piping its stderr on (|&) keeps it in the pipe
        const errToLog = !(pl.pipeStderr as boolean[] | undefined)?.[i];
        const id = ++commands;
        const ours = [...(last ? [redirect(1, id)] : []), ...(errToLog ? [redirect(2, id)] : [])];
        if (c.type === 'FunctionDef') return;
        // signals are not delivered to a container's script: its traps are accepted and never run
        if (c.type === 'SimpleCommand' && c.name?.parts?.length === 1 && c.name.parts[0].value === 'trap')
          c.name = { ...c.name, parts: [{ ...c.name.parts[0], value: ':' }] };
        // a compound run straight into the script's output: its own commands stream
        if (c.type !== 'SimpleCommand' && last && (c.redirections as Node[]).length === 0) {
          for (const k of ['body', 'condition', 'elseBody']) if (Array.isArray(c[k])) toLog(c[k]);
          for (const clause of (c.clauses ?? []) as Node[]) toLog([...clause.condition, ...clause.body]);
          for (const item of (c.items ?? []) as Node[]) toLog(item.body);
          return;
        }
        // ours first: the command's own redirections (> file, 2>&1) apply after, as written
        if (c.type !== 'SimpleCommand' || c.name) c.redirections.unshift(...ours);
      });
    }
}

export const STREAM_TO_LOG: Parameters<Bash['registerTransformPlugin']>[0] = {
  name: 'knetlab-stream-to-log',
  transform: ({ ast }) => {
    toLog(ast.statements as unknown as Node[]);
    return { ast };
  },
};

/** The container's files for its main script: writes to PID 1's stdout/stderr go to `log`. */
export class LogFs extends NodeShellFs {
  /** A command's stdout, held until its stderr (if any) is written or anything else is. */
  private held: { readonly command: string; readonly text: string } | undefined;

  constructor(
    args: ConstructorParameters<typeof NodeShellFs>,
    private readonly log: (text: string) => void,
  ) {
    super(...args);
  }

  /** Logs the stdout still held: before time passes, and when the script ends. */
  flush(): void {
    const held = this.held;
    this.held = undefined;
    if (held?.text) this.log(held.text);
  }

  override async writeFile(path: string, content: string | Uint8Array): Promise<void> {
    const p = normalize(path);
    const command = COMMAND_PATH.exec(p);
    if (!command && !LOG_PATHS.has(p)) return super.writeFile(path, content);
    const text = (typeof content === 'string' ? content : new TextDecoder().decode(content)).replace(PACE_TRACE, '');
    const held = command && this.held?.command === command[1] ? this.held : undefined;
    if (held) this.held = undefined;
    else this.flush();
    if (command?.[2] === '1') this.held = { command: command[1]!, text };
    else {
      if (text) this.log(text);
      if (held?.text) this.log(held.text);
    }
  }

  override async appendFile(path: string, content: string | Uint8Array): Promise<void> {
    return this.isLog(path) ? this.writeFile(path, content) : super.appendFile(path, content);
  }

  override async exists(path: string): Promise<boolean> {
    return this.isLog(path) || normalize(path) === PACE_PATH || super.exists(path);
  }

  override async stat(path: string): Promise<FsStat> {
    const p = normalize(path);
    if (p === PACE_PATH) return { isFile: true, isDirectory: false, isSymbolicLink: false, mode: 0o100755, size: 0, mtime: new Date(0) };
    if (!this.isLog(path)) return super.stat(path);
    // a pipe to the runtime's log reader, as procfs shows a process's fd
    return { isFile: false, isDirectory: false, isSymbolicLink: false, mode: 0o10600, size: 0, mtime: new Date(0) };
  }

  private isLog(path: string): boolean {
    const p = normalize(path);
    return LOG_PATHS.has(p) || COMMAND_PATH.test(p);
  }
}
