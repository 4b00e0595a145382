/**
 * Every failure bulwark reports carries a stable code. Tests and platforms
 * match on the code, never on the prose; the exit code groups codes by what
 * the caller can do about them. These are the engine's (docs/errors.md lists
 * them); a generator's own codes live with it (defineErrorCodes) and are
 * documented on its page.
 */
export const ERROR_CODES = {
  E_USAGE: { exitCode: 2, summary: 'The command line is not understood.' },
  E_UNKNOWN_GENERATOR: { exitCode: 2, summary: 'No generator has that name.' },
  E_NO_TTY: { exitCode: 2, summary: 'An interactive command was run without a terminal.' },
  E_SPEC_PARSE: { exitCode: 3, summary: 'The spec could not be read or is not JSON.' },
  E_SPEC_TOO_LARGE: { exitCode: 3, summary: 'An input (spec, stdin, permission spec) is larger than bulwark reads.' },
  E_SPEC_INVALID: { exitCode: 3, summary: 'The options do not satisfy the generator schema.' },
  E_PATH_UNSAFE: { exitCode: 3, summary: 'A path would leave the target or is not portable.' },
  E_TARGET_INVALID: { exitCode: 3, summary: 'The target cannot be written to.' },
  E_MODULE_MISSING: { exitCode: 3, summary: 'The generator builds on a module the target does not have yet.' },
  E_TARGET_CONFLICT: { exitCode: 4, summary: 'A file was changed since bulwark wrote it, or was not written by bulwark.' },
  E_EDIT_FAILED: { exitCode: 4, summary: 'An existing file does not have the shape an edit needs.' },
  E_TARGET_LOCKED: { exitCode: 5, summary: 'Another bulwark run holds the target.' },
  E_APPLY_FAILED: { exitCode: 5, summary: 'Writing failed; the target was restored as it was.' },
  E_ABORTED: { exitCode: 6, summary: 'The user declined the plan.' },
  E_TEMPLATE_INVALID: { exitCode: 7, summary: 'A template breaks the template rules.' },
  E_INTERNAL: { exitCode: 1, summary: 'A bug in bulwark.' },
} as const satisfies Record<string, { exitCode: number; summary: string }>;

export type EngineErrorCode = keyof typeof ERROR_CODES;

export interface ErrorCodeInfo {
  readonly exitCode: number;
  readonly summary: string;
}

declare const defined: unique symbol;
/** A code a generator defined with defineErrorCodes: only that function makes one. */
export type GeneratorErrorCode<Code extends string = string> = Code & { readonly [defined]: true };

/** Every code: the engine's, and those generators define. */
export type ErrorCode = EngineErrorCode | GeneratorErrorCode;

const generatorCodes = new Map<string, ErrorCodeInfo & { readonly generator: string }>();

/**
 * A generator's own error codes, kept in its folder with their exit codes
 * (the exit code groups codes as the engine's do: 3 for bad input, ...).
 * A code is defined once across bulwark; the engine's codes cannot be
 * redefined.
 *
 * @example
 * export const RBAC_ERRORS = defineErrorCodes('rbac', {
 *   E_PERMISSIONS_INVALID: { exitCode: 3, summary: 'The permission spec is refused.' },
 * });
 * throw new BulwarkError(RBAC_ERRORS.E_PERMISSIONS_INVALID, 'The permission spec is refused: ...');
 */
export function defineErrorCodes<const Codes extends Readonly<Record<string, ErrorCodeInfo>>>(
  generator: string,
  codes: Codes,
): { readonly [Code in keyof Codes & string]: GeneratorErrorCode<Code> } {
  const result: Record<string, string> = {};
  for (const [code, info] of Object.entries(codes)) {
    if (!/^E_[A-Z][A-Z0-9_]*$/.test(code)) throw new TypeError(`Error code ${code} is not E_UPPER_SNAKE_CASE.`);
    const other = generatorCodes.get(code);
    if (Object.hasOwn(ERROR_CODES, code) || (other !== undefined && other.generator !== generator)) {
      throw new TypeError(`Error code ${code} is already defined${other === undefined ? ' by the engine' : ` by ${other.generator}`}.`);
    }
    generatorCodes.set(code, { ...info, generator });
    result[code] = code;
  }
  return Object.freeze(result) as { readonly [Code in keyof Codes & string]: GeneratorErrorCode<Code> };
}

/** Every error code with its exit code and summary: the engine's, then those of every generator loaded. */
export function allErrorCodes(): Readonly<Record<string, ErrorCodeInfo & { readonly generator?: string }>> {
  return { ...ERROR_CODES, ...Object.fromEntries(generatorCodes) };
}

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
    return (Object.hasOwn(ERROR_CODES, this.code) ? ERROR_CODES[this.code as EngineErrorCode] : generatorCodes.get(this.code))?.exitCode ?? 1;
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
