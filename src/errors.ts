/**
 * Every failure bulwark reports carries a stable code. Tests and platforms
 * match on the code, never on the prose; the exit code groups codes by what
 * the caller can do about them (docs/errors.md lists them all).
 */
export const ERROR_CODES = {
  E_USAGE: { exitCode: 2, summary: 'The command line is not understood.' },
  E_UNKNOWN_GENERATOR: { exitCode: 2, summary: 'No generator has that name.' },
  E_NO_TTY: { exitCode: 2, summary: 'An interactive command was run without a terminal.' },
  E_SPEC_PARSE: { exitCode: 3, summary: 'The spec could not be read or is not JSON.' },
  E_SPEC_TOO_LARGE: { exitCode: 3, summary: 'An input (spec, stdin, permission spec) is larger than bulwark reads.' },
  E_SPEC_INVALID: { exitCode: 3, summary: 'The options do not satisfy the generator schema.' },
  E_PERMISSIONS_INVALID: { exitCode: 3, summary: 'The permission spec is refused (unknown names, wildcards, loops, dead grants).' },
  E_PATH_UNSAFE: { exitCode: 3, summary: 'A path would leave the target or is not portable.' },
  E_TARGET_INVALID: { exitCode: 3, summary: 'The target cannot be written to.' },
  E_TARGET_CONFLICT: { exitCode: 4, summary: 'A file was changed since bulwark wrote it, or was not written by bulwark.' },
  E_EDIT_FAILED: { exitCode: 4, summary: 'An existing file does not have the shape an edit needs.' },
  E_TARGET_LOCKED: { exitCode: 5, summary: 'Another bulwark run holds the target.' },
  E_APPLY_FAILED: { exitCode: 5, summary: 'Writing failed; the target was restored as it was.' },
  E_ABORTED: { exitCode: 6, summary: 'The user declined the plan.' },
  E_TEMPLATE_INVALID: { exitCode: 7, summary: 'A template breaks the template rules.' },
  E_INTERNAL: { exitCode: 1, summary: 'A bug in bulwark.' },
} as const satisfies Record<string, { exitCode: number; summary: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorDetails {
  /** The option (dotted path) or file the error is about. */
  readonly option?: string;
  readonly path?: string;
  /** What the caller should do about it. */
  readonly fix?: string;
  /** Further problems of the same kind, for errors that report several. */
  readonly issues?: readonly ErrorIssue[];
}

export interface ErrorIssue {
  readonly option: string;
  readonly message: string;
}

export class BulwarkError extends Error {
  override readonly name = 'BulwarkError';
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.details = details;
  }

  get exitCode(): number {
    return ERROR_CODES[this.code].exitCode;
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, ...this.details };
  }
}

/** Wraps anything thrown into a BulwarkError so callers see one shape. */
export function toBulwarkError(error: unknown): BulwarkError {
  if (error instanceof BulwarkError) return error;
  // Ctrl-C at an @inquirer prompt: the user stopped, nothing was written; not a bug.
  if (error instanceof Error && error.name === 'ExitPromptError') {
    return new BulwarkError('E_ABORTED', 'Stopped at the prompt; nothing was written.', { fix: 'Run the command again when you are ready.' });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new BulwarkError('E_INTERNAL', `Unexpected error: ${message}`, {
    fix: 'This is a bug in bulwark; please report it with the command you ran.',
  }, { cause: error });
}
