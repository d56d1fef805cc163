// One printer for both of iproute2's output modes (lib/json_print.c): every field is given once,
// with its JSON key and value and its text form, so plain and `-j` output cannot drift apart.
// Renderers are pure functions of kernel state that write into a Printer.
import { JsonWriter } from './json.js';
export class Printer {
    opts;
    textOut = '';
    jw;
    constructor(opts) {
        this.opts = opts;
        this.jw = opts.json ? new JsonWriter(opts.pretty) : undefined;
    }
    get json() {
        return this.jw !== undefined;
    }
    /** PRINT_ANY: `text` in plain mode, `key: value` in JSON (a bare value inside an array when key is undefined). */
    any(key, value, text) {
        if (this.jw)
            this.jsonField(key, value);
        else
            this.textOut += text;
    }
    /** PRINT_FP: plain mode only. */
    fp(text) {
        if (!this.jw)
            this.textOut += text;
    }
    /** PRINT_JSON: JSON only. */
    js(key, value) {
        if (this.jw)
            this.jsonField(key, value);
    }
    jsonField(key, value) {
        if (key !== undefined)
            this.jw.name(key);
        this.jw.value(value);
    }
    /** print_nl(): a line break in plain mode (`\` with -o); nothing in JSON. */
    nl() {
        if (!this.jw)
            this.textOut += this.opts.oneline ? '\\' : '\n';
    }
    openObject(key) {
        if (!this.jw)
            return;
        if (key !== undefined)
            this.jw.name(key);
        this.jw.startObject();
    }
    closeObject() {
        this.jw?.endObject();
    }
    /** open_json_array(PRINT_JSON, key): JSON only; plain text gets `text`. */
    openArray(key, text = '') {
        if (this.jw) {
            if (key !== undefined)
                this.jw.name(key);
            this.jw.startArray();
        }
        else
            this.textOut += text;
    }
    closeArray(text = '') {
        if (this.jw)
            this.jw.endArray();
        else
            this.textOut += text;
    }
    /** new_json_obj(): every JSON answer is one top-level array. */
    begin() {
        this.jw?.startArray();
    }
    /** delete_json_obj(): closes the array and ends the document with a newline. */
    end() {
        if (this.jw) {
            this.jw.endArray();
            return this.jw.text() + '\n';
        }
        return this.textOut;
    }
}
//# sourceMappingURL=print.js.map