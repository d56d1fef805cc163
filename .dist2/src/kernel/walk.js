// A packet's walk: every decision the kernel made about it, in order (kube-proxy's tracePacket,
// gVisor's checker). The same records power tests, `knetlab trace` and the demo's explanation.
/** Collects the events of the packets it follows. Forwarding code only calls `record`. */
export class Walk {
    events = [];
    record(ev) {
        this.events.push(ev);
    }
    get dropped() {
        return this.events.find((e) => e.stage === 'drop');
    }
    /** A readable rendering: one line per event, indented under the namespace it happened in. */
    render() {
        const lines = [];
        let ns = '';
        for (const e of this.events) {
            if (e.netns !== ns) {
                ns = e.netns;
                lines.push(`[${ns}]`);
            }
            const where = e.dev ? ` ${e.dev}` : '';
            lines.push(`  ${e.stage.padEnd(9)}${where}: ${e.detail}`);
        }
        return lines.join('\n');
    }
}
//# sourceMappingURL=walk.js.map