// The part of POSIX shell grammar knetlab scripts use: commands separated by newlines and `;`,
// joined by `&&` / `||`, piped with `|`, with quoting (' " \), comments, input and output
// redirection (`< FILE`, `> FILE`, `>> FILE`, `2> FILE`, `2>&1`) and `&` for a background job.
// Expansions, loops and subshells are not part of it: they are taken literally.

export interface Redirect {
  readonly fd: 1 | 2;
  readonly append: boolean;
  /** A path, or `&1` for 2>&1. */
  readonly target: string;
}

/** One command of a pipeline: its words and redirections. */
export interface Stage {
  readonly argv: string[];
  readonly redirects: Redirect[];
  /** `< FILE`: its standard input. */
  readonly input?: string;
}

/** A pipeline as a list member: the first command's stage, then the ones its output is piped to. */
export interface SimpleCommand extends Stage {
  /** The commands after `|`, in order, each reading the previous one's output. */
  readonly pipeTo?: readonly Stage[];
  /** How this command joins the previous one in its list: always, only after success, only after failure. */
  readonly join: ';' | '&&' | '||';
  /** The command as written, for error messages and transcripts. */
  readonly text: string;
  /** 1-based line of the script. */
  readonly line: number;
  /** Ended with `&`: run as a background job. */
  readonly background?: boolean;
}

export class ShellSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

type Token = { kind: 'word'; value: string } | { kind: 'op'; value: string };

/** Splits one line into words and operators, honouring quotes. */
function tokenize(line: string, lineNo: number): Token[] {
  const tokens: Token[] = [];
  let word = '';
  let inWord = false;
  const flush = () => {
    if (inWord) tokens.push({ kind: 'word', value: word });
    word = '';
    inWord = false;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === ' ' || c === '\t') {
      flush();
      continue;
    }
    if (c === '#' && !inWord) break;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new ShellSyntaxError(lineNo, "unexpected EOF while looking for matching `''");
      word += line.slice(i + 1, end);
      inWord = true;
      i = end;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && '"\\$`'.includes(line[j + 1] ?? '')) j++;
        word += line[j];
      }
      if (j >= line.length) throw new ShellSyntaxError(lineNo, 'unexpected EOF while looking for matching `"\'');
      inWord = true;
      i = j;
      continue;
    }
    if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
      continue;
    }
    const two = line.slice(i, i + 2);
    const three = line.slice(i, i + 4);
    if (three === '2>&1') {
      flush();
      tokens.push({ kind: 'op', value: '2>&1' });
      i += 3;
      continue;
    }
    if (two === '&&' || two === '||' || two === '>>' || (two === '2>' && !inWord)) {
      flush();
      tokens.push({ kind: 'op', value: two });
      i++;
      continue;
    }
    if (c === ';' || c === '|' || c === '&' || c === '>' || c === '<') {
      flush();
      tokens.push({ kind: 'op', value: c });
      continue;
    }
    word += c;
    inWord = true;
  }
  flush();
  return tokens;
}

/** Parses a script into its simple commands, in order. */
export function parseScript(script: string): SimpleCommand[] {
  const out: SimpleCommand[] = [];
  script.split('\n').forEach((raw, idx) => {
    const lineNo = idx + 1;
    const tokens = tokenize(raw, lineNo);
    let argv: string[] = [];
    let redirects: Redirect[] = [];
    let input: string | undefined;
    /** The stages before the last `|` of the pipeline being read. */
    let piped: Stage[] = [];
    let join: SimpleCommand['join'] = ';';
    const stage = (): Stage => ({ argv, redirects, ...(input === undefined ? {} : { input }) });
    const word = (i: number): string => {
      const target = tokens[i];
      if (!target || target.kind !== 'word') throw new ShellSyntaxError(lineNo, "syntax error near unexpected token `newline'");
      return target.value;
    };
    const end = (next: SimpleCommand['join'], op: string) => {
      if (argv.length === 0) {
        if (op === ';' && redirects.length === 0 && input === undefined && piped.length === 0) return;
        throw new ShellSyntaxError(lineNo, `syntax error near unexpected token \`${op}'`);
      }
      const [first, ...rest] = [...piped, stage()];
      out.push({
        ...first!,
        ...(rest.length ? { pipeTo: rest } : {}),
        join,
        text: raw.trim(),
        line: lineNo,
        ...(op === '&' ? { background: true } : {}),
      });
      argv = [];
      redirects = [];
      input = undefined;
      piped = [];
      join = next;
    };
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (t.kind === 'word') {
        argv.push(t.value);
        continue;
      }
      switch (t.value) {
        case ';':
          end(';', ';');
          break;
        case '&&':
          end('&&', '&&');
          break;
        case '||':
          end('||', '||');
          break;
        case '>':
        case '>>':
        case '2>':
          redirects.push({ fd: t.value === '2>' ? 2 : 1, append: t.value === '>>', target: word(++i) });
          break;
        case '2>&1':
          redirects.push({ fd: 2, append: false, target: '&1' });
          break;
        case '|':
          if (argv.length === 0) throw new ShellSyntaxError(lineNo, "syntax error near unexpected token `|'");
          piped.push(stage());
          argv = [];
          redirects = [];
          input = undefined;
          break;
        case '&':
          end(';', '&');
          break;
        case '<':
          input = word(++i);
          break;
      }
    }
    if (argv.length) end(';', ';');
    else if (join !== ';' || piped.length) throw new ShellSyntaxError(lineNo, 'syntax error: unexpected end of file');
  });
  return out;
}
