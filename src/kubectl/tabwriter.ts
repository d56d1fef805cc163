// Go's text/tabwriter as kubectl configures it (cli-runtime printers.GetNewTabWriter: minwidth 6,
// tabwidth 4, padding 3, pad char ' ', RememberWidths from liggitt/tabwriter). Cells end with '\t';
// the last cell of a line is not a column and is never padded. Columns are aligned per block of
// consecutive lines that have that column, as Writer.format does.

export interface TabWriterOptions {
  minwidth: number;
  padding: number;
  /** liggitt/tabwriter RememberWidths: a column never shrinks across flushes (kubectl get -w). */
  rememberWidths?: boolean;
}

export const KUBECTL_TABLE: TabWriterOptions = { minwidth: 6, padding: 3, rememberWidths: true };
/** kubectl describe's tab writer (describe.go: tabwriter.NewWriter(out, 0, 8, 2, ' ', 0)). */
export const KUBECTL_DESCRIBE: TabWriterOptions = { minwidth: 0, padding: 2 };

export class TabWriter {
  private text = '';
  private remembered: number[] = [];
  private out: string[] = [];
  constructor(private readonly opts: TabWriterOptions) {}

  write(s: string): void {
    this.text += s;
  }

  /** Formats everything written so far; returns the formatted text and clears the buffer. */
  flush(): string {
    const text = this.text;
    this.text = '';
    if (text === '') return '';
    const endsWithNewline = text.endsWith('\n');
    const lines = (endsWithNewline ? text.slice(0, -1) : text).split('\n').map((l) => l.split('\t'));
    this.out = [];
    this.format([], 0, lines.length, lines);
    return this.out.join('\n') + (endsWithNewline ? '\n' : '');
  }

  /** Forget remembered widths (kubectl does so between resource kinds). */
  resetWidths(): void {
    this.remembered = [];
  }

  private format(widths: number[], line0: number, line1: number, lines: string[][]): void {
    const column = widths.length;
    for (let i = line0; i < line1; i++) {
      if (column >= lines[i]!.length - 1) continue;
      this.writeLines(widths, line0, i, lines);
      line0 = i;
      let width = this.opts.minwidth;
      for (; i < line1; i++) {
        const line = lines[i]!;
        if (column >= line.length - 1) break;
        const w = cellWidth(line[column]!) + this.opts.padding;
        if (w > width) width = w;
      }
      if (this.opts.rememberWidths) {
        width = Math.max(width, this.remembered[column] ?? 0);
        this.remembered[column] = width;
      }
      this.format([...widths, width], line0, i, lines);
      line0 = i;
    }
    this.writeLines(widths, line0, line1, lines);
  }

  private writeLines(widths: number[], line0: number, line1: number, lines: string[][]): void {
    for (let i = line0; i < line1; i++) {
      const line = lines[i]!;
      let s = '';
      line.forEach((cell, j) => {
        s += cell;
        if (j < widths.length && j < line.length - 1) s += ' '.repeat(Math.max(0, widths[j]! - cellWidth(cell)));
      });
      this.out.push(s);
    }
  }
}

/** Go's tabwriter counts runes (utf8.RuneCount), not bytes or UTF-16 units. */
function cellWidth(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** One-shot formatting of tab-separated lines. */
export function tabulate(text: string, opts: TabWriterOptions = KUBECTL_TABLE): string {
  const w = new TabWriter(opts);
  w.write(text);
  return w.flush();
}
