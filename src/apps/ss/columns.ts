// ss's column layout (iproute2 6.1 misc/ss.c: out(), field_flush(), render_calc_width(), render())
// as it is when standard output is not a terminal: every field is buffered, each column is as wide
// as its widest flushed field plus its left delimiter (none for the first non-empty column), and
// no spare screen width is spread between the columns.

export interface Column {
  readonly header: string;
  readonly align: 'left' | 'right';
  /** Printed before the field when the line has started. */
  readonly ldelim: string;
}

/** ss's columns in order: Netid, State, Recv-Q, Send-Q, local address and port, peer address and port, the extension (process, details) and a last, always empty one. */
export const SS_COLUMNS: readonly Column[] = [
  { header: 'Netid', align: 'left', ldelim: '' },
  { header: 'State', align: 'left', ldelim: ' ' },
  { header: 'Recv-Q', align: 'left', ldelim: ' ' },
  { header: 'Send-Q', align: 'left', ldelim: ' ' },
  { header: 'Local Address:', align: 'right', ldelim: ' ' },
  { header: 'Port', align: 'left', ldelim: '' },
  { header: 'Peer Address:', align: 'right', ldelim: ' ' },
  { header: 'Port', align: 'left', ldelim: '' },
  { header: 'Process', align: 'left', ldelim: '' },
  { header: '', align: 'left', ldelim: '' },
];

export const COL_NETID = 0;
export const COL_STATE = 1;

interface Token {
  readonly column: number;
  readonly text: string;
}

/**
 * The field buffer: fields go in column order, a row's fields after the previous row's. A field
 * counts towards its column's width once the next field starts (field_flush), so the last row's
 * last field does not, as in ss.
 */
export class ColumnBuffer {
  private readonly tokens: Token[] = [];
  private readonly maxLen: number[];
  private current = 0;
  private text = '';

  constructor(private readonly disabled: ReadonlySet<number>) {
    this.maxLen = SS_COLUMNS.map(() => 0);
  }

  /** The header row: every enabled column's name but the last column's (print_header). */
  header(): void {
    while (this.current !== SS_COLUMNS.length - 1) {
      this.out(SS_COLUMNS[this.current]!.header);
      this.next();
    }
  }

  /** Moves to column `id`, flushing the fields in between (field_set). */
  set(id: number): void {
    while (this.current !== id) this.next();
  }

  /** Appends to the current field (out()). */
  out(text: string): void {
    if (!this.disabled.has(this.current)) this.text += text;
  }

  /** Ends the current field and starts the next column's (field_next). */
  next(): void {
    if (!this.disabled.has(this.current)) {
      this.tokens.push({ column: this.current, text: this.text });
      this.maxLen[this.current] = Math.max(this.maxLen[this.current]!, this.text.length);
    }
    this.text = '';
    this.current = this.current === SS_COLUMNS.length - 1 ? 0 : this.current + 1;
  }

  /** The buffered fields laid out (render()); the field still open is printed without being measured. */
  render(): string {
    const tokens = this.disabled.has(this.current) ? this.tokens : [...this.tokens, { column: this.current, text: this.text }];
    if (this.tokens.length === 0 && this.text === '') return '';
    const widths = this.widths();
    let out = '';
    let lineStarted = false;
    for (const t of tokens) {
      const c = SS_COLUMNS[t.column]!;
      const width = widths[t.column]!;
      let printed = 0;
      if (lineStarted) {
        out += c.ldelim;
        printed = c.ldelim.length;
      }
      lineStarted = true;
      if (width && c.align === 'right') out += ' '.repeat(Math.max(0, width - t.text.length - printed));
      out += t.text;
      printed += t.text.length;
      if (width && c.align === 'left') out += ' '.repeat(Math.max(0, width - printed));
      if (t.column === SS_COLUMNS.length - 1) {
        out += '\n';
        lineStarted = false;
      }
    }
    return lineStarted ? `${out}\n` : out;
  }

  /** render_calc_width()'s first pass, which is all of it without a terminal. */
  private widths(): number[] {
    let first = true;
    return SS_COLUMNS.map((c, i) => {
      if (this.disabled.has(i)) return 0;
      const len = this.maxLen[i]!;
      const width = !first && len ? len + c.ldelim.length : len;
      if (width) first = false;
      return width;
    });
  }
}
