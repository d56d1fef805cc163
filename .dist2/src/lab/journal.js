// A journal record: one state-changing invocation as the Lab applied it, with everything a replay
// needs to apply it again to the same effect (the emulator is deterministic): the virtual time it
// started at, its stdin and the client files it read, and when it was interrupted. Runtime-neutral;
// the front end decides where records are kept (src/server: an append-only file, fsynced).
export function toBase64(data) {
    let bin = '';
    for (let i = 0; i < data.length; i += 0x8000)
        bin += String.fromCharCode(...data.subarray(i, i + 0x8000));
    return btoa(bin);
}
export function fromBase64(text) {
    const bin = atob(text);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++)
        out[i] = bin.charCodeAt(i);
    return out;
}
/** Why a decoded value is not a JournalRecord, or undefined when it is one. */
export function checkRecord(value) {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
        return 'not an object';
    const r = value;
    if (typeof r.family !== 'string')
        return 'field "family" is not a string';
    if (!Array.isArray(r.argv) || !r.argv.every((a) => typeof a === 'string'))
        return 'field "argv" is not a list of strings';
    if (typeof r.at !== 'number' || !(r.at >= 0))
        return 'field "at" is not a time';
    if (r.stdin !== undefined && typeof r.stdin !== 'string')
        return 'field "stdin" is not a string';
    if (typeof r.reads !== 'object' || r.reads === null || !Object.values(r.reads).every((v) => typeof v === 'string'))
        return 'field "reads" is not a map of strings';
    if (r.until !== undefined && (typeof r.until !== 'number' || !(r.until >= r.at)))
        return 'field "until" is not a time after "at"';
    return undefined;
}
//# sourceMappingURL=journal.js.map