// `ip -batch FILE` and `bridge -batch FILE` (iproute2 6.1 lib/utils.c getcmdline, makeargs and
// ip.c/bridge.c do_batch): one command per line, run with the global options given before
// -batch; `-` is standard input. A failing line prints `Command failed FILE:LINE` and ends the
// batch unless -force is given; the batch then exits 1.
// Coarse: real iproute2 exits at once, without `Command failed`, on errors it reports through
// exit() (argument errors such as a bad prefix); here every failing line is reported and, with
// -force, skipped.
import type { Proc } from '../proc.js';
import { fail } from './args.js';

/** Words of one batch line: blanks separate, '…' or "…" quote, `#` starts a comment (makeargs). */
export function batchWords(line: string): string[] {
  const hash = line.indexOf('#');
  const text = hash >= 0 ? line.slice(0, hash) : line;
  const words: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
    if (i >= text.length) break;
    const quote = text[i];
    if (quote === "'" || quote === '"') {
      const end = text.indexOf(quote, i + 1);
      if (end < 0) fail(1, 'Unterminated quoted string');
      words.push(text.slice(i + 1, end));
      i = end + 1;
    } else {
      let end = i;
      while (end < text.length && !' \t\r\n'.includes(text[end]!)) end++;
      words.push(text.slice(i, end));
      i = end;
    }
  }
  return words;
}

/** Runs every line of the batch file through `runLine` (which prints its own errors). */
export function runBatch(proc: Proc, file: string, force: boolean, runLine: (argv: readonly string[]) => number): number {
  const data = file === '-' ? (proc.stdin ?? new Uint8Array(0)) : proc.readFile(file);
  if (data === undefined) fail(1, `Cannot open file "${file}" for reading: No such file or directory`);
  const lines = new TextDecoder().decode(data).split('\n');
  if (lines.at(-1) === '') lines.pop();
  let status = 0;
  for (let n = 0; n < lines.length; n++) {
    // getcmdline joins a line ending in a backslash with the next; errors name the last one.
    let line = lines[n]!;
    while (line.endsWith('\\') && n + 1 < lines.length) line = `${line.slice(0, -1)} ${lines[++n]}`;
    const argv = batchWords(line);
    if (argv.length === 0) continue;
    if (runLine(argv) !== 0) {
      proc.stderr(`Command failed ${file}:${n + 1}\n`);
      status = 1;
      if (!force) break;
    }
  }
  return status;
}
