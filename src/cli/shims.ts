// `knetlab shims DIR`: writes `kind`, `kubectl` and `docker` executables into DIR that run this
// installation's knetlab with the family and "$@", so `PATH=DIR:$PATH bash lab.sh` runs a seed's
// script unchanged. The scripts hold only the absolute paths of node and main.js, which must be
// plain path characters: nothing else is interpolated, and nothing is quoted to make it safe.
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SHIM_FAMILIES = ['kind', 'kubectl', 'docker'] as const;

/** Characters a path may have to go into a shim script as it is. */
const PLAIN_PATH = /^\/[A-Za-z0-9_./@+,:=-]*$/;

/** The shim script for `family`. Throws when a path would need quoting. */
export function shimScript(family: string, node: string, main: string): string {
  for (const [what, p] of [
    ['node', node],
    ['main.js', main],
  ] as const) {
    if (!PLAIN_PATH.test(p))
      throw new Error(
        `knetlab shims: the path of ${what} ("${p}") has characters a shell script would need quoted; install knetlab under a plain path`,
      );
  }
  return `#!/bin/sh\n# knetlab shim: \`${family}\` is knetlab's emulated ${family} (knetlab shims).\nexec ${node} ${main} ${family} "$@"\n`;
}

/** Writes the shims into `dir` (made if missing); returns the paths written. */
export function writeShims(dir: string, node = process.execPath, main = fileURLToPath(new URL('./main.js', import.meta.url))): string[] {
  if (dir === '' || /[\n\r\0]/.test(dir))
    throw new Error(`knetlab shims: invalid directory ${JSON.stringify(dir)}: it may not be empty or hold a newline or NUL`);
  const abs = isAbsolute(dir) ? dir : resolve(dir);
  mkdirSync(abs, { recursive: true });
  if (!statSync(abs).isDirectory()) throw new Error(`knetlab shims: "${dir}" is not a directory`);
  const scripts = SHIM_FAMILIES.map((f) => [f, shimScript(f, node, main)] as const);
  return scripts.map(([f, text]) => {
    const path = join(abs, f);
    writeFileSync(path, text, { mode: 0o755 });
    chmodSync(path, 0o755);
    return path;
  });
}
