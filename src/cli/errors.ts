/** Errors the doors turn into exit codes: 2 for bad usage (the user can fix the call), 1 for a failure. */
export class UsageError extends Error {
  readonly exitCode = 2;
}

export class FailureError extends Error {
  readonly exitCode = 1;
}
