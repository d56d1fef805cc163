// A command's view of its client's files: paths relative to the client's working directory, read
// and written by the server for the client (same user, same machine).
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CommandIo } from '../lab/index.js';

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
