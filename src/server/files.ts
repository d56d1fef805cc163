// A command's view of its client's files: paths relative to the client's working directory, read
// and written by the server for the client (same user, same machine).
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CommandIo } from '../lab/index.js';
import { scriptReadsStdin } from '../shell/script-stdin.js';

/** A client file larger than this is not read (the command sees it as missing). */
const MAX_FILE = 256 * 1024 * 1024;

export function clientFiles(cwd: string): Pick<CommandIo, 'readFile' | 'writeFile' | 'readDir' | 'makeDir'> {
  return {
    readFile(path) {
      try {
        const full = resolve(cwd, path);
        const st = statSync(full);
        // Only regular files: a FIFO or /dev/zero would never end.
        if (!st.isFile() || st.size > MAX_FILE) return undefined;
        return readFileSync(full);
      } catch {
        return undefined;
      }
    },
    writeFile(path, data) {
      writeFileSync(resolve(cwd, path), data);
    },
    readDir(path) {
      try {
        const full = resolve(cwd, path);
        return statSync(full).isDirectory() ? readdirSync(full).sort() : undefined;
      } catch {
        return undefined;
      }
    },
    makeDir(path) {
      mkdirSync(resolve(cwd, path), { recursive: true, mode: 0o755 });
    },
  };
}

/**
 * The stdin to send with `knetlab sh`: its own (a file or pipe, not a terminal) when its script reads
 * it (`knetlab sh -c 'iptables-restore' < FILE`), else none: reading stdin that nothing in the
 * script wants could wait on a pipe for ever or swallow a calling script's lines.
 */
export function shStdin(argv: readonly string[], cwd: string, tty: boolean): Uint8Array | undefined {
  if (tty || argv[0] !== 'sh') return undefined;
  const c = argv.indexOf('-c');
  const file = argv.slice(1).find((a, i, rest) => !a.startsWith('-') && rest[i - 1] !== '--host' && rest[i - 1] !== '-c');
  let script = c > 0 ? argv[c + 1] : undefined;
  if (script === undefined && file !== undefined) {
    try {
      script = readFileSync(resolve(cwd, file), 'utf8');
    } catch {
      return undefined; // the lab says the script cannot be read
    }
  }
  if (script === undefined || !scriptReadsStdin(script, (p) => existsSync(resolve(cwd, p)))) return undefined;
  return readFileSync(0);
}
