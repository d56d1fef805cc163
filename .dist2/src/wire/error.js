// The one error type of wire/: a byte string that cannot be the protocol it claims to be,
// or a representation that cannot be encoded. Messages read "<Protocol>: <problem>".
export class WireError extends Error {
    protocol;
    problem;
    constructor(protocol, problem) {
        super(`${protocol}: ${problem}`);
        this.protocol = protocol;
        this.problem = problem;
        this.name = 'WireError';
    }
}
//# sourceMappingURL=error.js.map