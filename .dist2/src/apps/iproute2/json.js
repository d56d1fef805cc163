// iproute2's JSON writer (lib/json_writer.c): the same separators, the same `-p` indentation
// (four spaces per level, `[ {` on one line, arrays of scalars inline), so `ip -j -p` output
// matches byte for byte. Written from the observed output, not from the GPL source.
export class JsonWriter {
    pretty;
    out = '';
    depth = 0;
    /** The separator owed before the next value: '' at the start of an object or array. */
    sep = '';
    constructor(pretty) {
        this.pretty = pretty;
    }
    eor() {
        this.out += this.sep;
        this.sep = ',';
    }
    eol() {
        if (!this.pretty)
            return;
        this.out += '\n' + '    '.repeat(this.depth);
    }
    name(key) {
        this.eor();
        this.eol();
        this.sep = '';
        this.out += quote(key) + (this.pretty ? ': ' : ':');
    }
    value(v) {
        this.eor();
        this.out += render(v);
    }
    startObject() {
        this.eor();
        this.out += '{';
        this.depth++;
        this.sep = '';
    }
    endObject() {
        this.depth--;
        if (this.sep !== '')
            this.eol();
        this.out += '}';
        this.sep = ',';
    }
    startArray() {
        this.eor();
        this.out += '[';
        this.depth++;
        this.sep = '';
        if (this.pretty)
            this.out += ' ';
    }
    endArray() {
        if (this.pretty && this.sep !== '')
            this.out += ' ';
        this.sep = '';
        this.depth--;
        this.out += ']';
        this.sep = ',';
    }
    /** The text written so far (the caller ends the document with a newline, as jsonw_destroy does). */
    text() {
        return this.out;
    }
}
function render(v) {
    if (v === null)
        return 'null';
    if (typeof v === 'string')
        return quote(v);
    if (typeof v === 'object')
        return v.raw;
    return String(v);
}
/** jsonw_puts(): only these characters are escaped. */
function quote(s) {
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
            default: r += c;
        }
    }
    return r + '"';
}
export const raw = (text) => ({ raw: text });
//# sourceMappingURL=json.js.map