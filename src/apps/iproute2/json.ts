// iproute2's JSON writer (lib/json_writer.c): the same separators, the same `-p` indentation
// (four spaces per level, `[ {` on one line, arrays of scalars inline), so `ip -j -p` output
// matches byte for byte. Written from the observed output, not from the GPL source.

/** A JSON value rendered verbatim (iproute2 prints timers as `0.00`, which JSON.stringify cannot). */
export interface JsonRaw {
  readonly raw: string;
}

export type JsonScalar = string | number | boolean | null | JsonRaw;

export class JsonWriter {
  private out = '';
  private depth = 0;
  /** The separator owed before the next value: '' at the start of an object or array. */
  private sep = '';

  constructor(private readonly pretty: boolean) {}

  private eor(): void {
    this.out += this.sep;
    this.sep = ',';
  }

  private eol(): void {
    if (!this.pretty) return;
    this.out += '\n' + '    '.repeat(this.depth);
  }

  name(key: string): void {
    this.eor();
    this.eol();
    this.sep = '';
    this.out += quote(key) + (this.pretty ? ': ' : ':');
  }

  value(v: JsonScalar): void {
    this.eor();
    this.out += render(v);
  }

  startObject(): void {
    this.eor();
    this.out += '{';
    this.depth++;
    this.sep = '';
  }

  endObject(): void {
    this.depth--;
    if (this.sep !== '') this.eol();
    this.out += '}';
    this.sep = ',';
  }

  startArray(): void {
    this.eor();
    this.out += '[';
    this.depth++;
    this.sep = '';
    if (this.pretty) this.out += ' ';
  }

  endArray(): void {
    if (this.pretty && this.sep !== '') this.out += ' ';
    this.sep = '';
    this.depth--;
    this.out += ']';
    this.sep = ',';
  }

  /** The text written so far (the caller ends the document with a newline, as jsonw_destroy does). */
  text(): string {
    return this.out;
  }
}

function render(v: JsonScalar): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return quote(v);
  if (typeof v === 'object') return v.raw;
  return String(v);
}

/** jsonw_puts(): only these characters are escaped. */
function quote(s: string): string {
  let r = '"';
  for (const c of s) {
    switch (c) {
      case '\t':
        r += '\\t';
        break;
      case '\n':
        r += '\\n';
        break;
      case '\r':
        r += '\\r';
        break;
      case '\f':
        r += '\\f';
        break;
      case '\b':
        r += '\\b';
        break;
      case '\\':
        r += '\\\\';
        break;
      case '"':
        r += '\\"';
        break;
      default:
        r += c;
    }
  }
  return r + '"';
}

export const raw = (text: string): JsonRaw => ({ raw: text });
