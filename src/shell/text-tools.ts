// The text tools a script pipes the emulated tools' output into (`iptables -t nat -S | grep 10.96`,
// `ip -j addr | jq …`, `printf '…' | iptables-restore`): just-bash's own implementations, run
// one command at a time on what the previous stage printed. They touch no host: a file they name
// is the caller's (copied in before, read-only), and their output goes back to the script.
// just-bash (and sort.ts, which plugs into it) is loaded on a text tool's first run: a script
// without one (most of them) does not pay for loading it.
import { byteKind } from './bytes.js';

/**
 * The filters and generators worth piping: each reads its operands or stdin and writes stdout only
 * (no tee, xargs, find or shells: those would act on just-bash's world, not the lab's).
 */
export const TEXT_TOOLS: ReadonlySet<string> = new Set([
  'awk',
  'base64',
  'column',
  'comm',
  'cut',
  'egrep',
  'expand',
  'fgrep',
  'fold',
  'grep',
  'head',
  'jq',
  'join',
  'md5sum',
  'nl',
  'od',
  'paste',
  'printf',
  'rev',
  'sed',
  'seq',
  'sha1sum',
  'sha256sum',
  'sort',
  'strings',
  'tac',
  'tail',
  'tr',
  'unexpand',
  'uniq',
  'wc',
]);

/** The text tools that make their output without reading any input. */
const GENERATORS = new Set(['printf', 'seq']);

/**
 * Whether the text tool `argv` reads its stdin: not a generator, and `-` or no operand naming a file
 * that exists (`grep KUBE` reads stdin, `grep KUBE rules.txt` the file; its pattern names none).
 */
export function readsStdin(argv: readonly string[], exists: (path: string) => boolean): boolean {
  if (GENERATORS.has(argv[0]!)) return false;
  const operands = argv.slice(1).filter((a) => a === '-' || !a.startsWith('-'));
  return operands.includes('-') || !operands.some(exists);
}

/** just-bash's stdin option for `text` (see byteKind). */
export function stdinOption(text: string): { stdin: string; stdinKind: 'text' | 'bytes' } {
  return { stdin: text, stdinKind: byteKind(text) };
}

export interface TextRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs one text tool with `stdin`. `readFile` gives the caller's files: an operand naming one is
 * copied in at the same path, so `grep KUBE rules.txt` reads the user's file.
 */
export async function runTextTool(
  argv: readonly string[],
  stdin: string,
  readFile: (path: string) => Uint8Array | undefined,
  signal?: AbortSignal,
): Promise<TextRun> {
  const [{ Bash, InMemoryFs }, { cSort }] = await Promise.all([import('just-bash/browser'), import('./sort.js')]);
  const fs = new InMemoryFs();
  for (const a of argv.slice(1)) {
    if (a.startsWith('-') || a.includes('\0')) continue;
    const data = readFile(a);
    if (!data) continue;
    const path = a.startsWith('/') ? a : `/${a}`;
    await fs.mkdir(path.slice(0, path.lastIndexOf('/')) || '/', { recursive: true });
    await fs.writeFile(path, data);
  }
  // The argv bypasses just-bash's parser: no expansion, no globbing, as the rest of the script.
  const bash = new Bash({ fs, cwd: '/', env: { PATH: '/usr/bin:/bin' }, customCommands: [cSort], defenseInDepth: false });
  const r = await bash.exec(argv[0]!, { args: [...argv.slice(1)], ...stdinOption(stdin), ...(signal ? { signal } : {}) });
  return { status: r.exitCode, stdout: r.stdout, stderr: r.stderr };
}
