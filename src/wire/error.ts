// The one error type of wire/: a byte string that cannot be the protocol it claims to be,
// or a representation that cannot be encoded. Messages read "<Protocol>: <problem>".

export class WireError extends Error {
  constructor(
    readonly protocol: string,
    readonly problem: string,
  ) {
    super(`${protocol}: ${problem}`);
    this.name = 'WireError';
  }
}
