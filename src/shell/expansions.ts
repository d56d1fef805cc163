// Shell expansions the emulator does not perform. bash would expand them (a real run executes
// `$(…)` as root on the machine) while knetlab's shell takes the text literally, so a script
// holding one means different things to the two: `knetlab diff` refuses it.

/** What in `line` bash would expand and knetlab would not (e.g. `$(...) command substitution`), or undefined. */
export function unemulatedExpansion(line: string): string | undefined {
  if (/^\s*[A-Za-z_][A-Za-z0-9_]*=/.test(line)) return 'a variable assignment';
  let quote: "'" | '"' | undefined;
  let wordStart = true;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    const next = line[i + 1] ?? '';
    if (quote === "'") {
      if (c === "'") quote = undefined;
      continue;
    }
    if (c === '\\') {
      i++;
      wordStart = false;
      continue;
    }
    if (c === '`') return '`...` command substitution';
    if (c === '$') {
      if (next === '(') return line[i + 2] === '(' ? '$((...)) arithmetic expansion' : '$(...) command substitution';
      if (next === '{') return '${...} parameter expansion';
      if (next === "'") return "$'...' quoting";
      if (/[A-Za-z_0-9?$!#@*-]/.test(next)) return `$${next}... parameter expansion`;
    }
    if (quote === '"') {
      if (c === '"') quote = undefined;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      wordStart = false;
      continue;
    }
    if (c === '#' && wordStart) return undefined;
    if (c === '*' || c === '?' || c === '[') return `the unquoted pattern character '${c}' (pathname expansion)`;
    if (c === '~' && wordStart) return '~ tilde expansion';
    if (c === '{' && /^\{[^}\s]*(,|\.\.)[^}\s]*\}/.test(line.slice(i))) return '{...} brace expansion';
    if (c === '(' || c === ')') return `'${c}' (a subshell or process substitution)`;
    wordStart = c === ' ' || c === '\t' || c === ';' || c === '&' || c === '|';
  }
  return undefined;
}
