/**
 * Known failures. Every one of them reaches the CLI and becomes a single line on
 * stderr with exit code 2; anything else is a bug and is reported as such.
 * Messages must never contain a raw secret.
 */
export class LeakguardError extends Error {
  override readonly name: string = 'LeakguardError';
  readonly exitCode = 2;
}

/** Bad command-line usage (unknown flag, conflicting sources, bad argument). */
export class UsageError extends LeakguardError {
  override readonly name = 'UsageError';
}

/** A config file that cannot be read or does not validate. */
export class ConfigError extends LeakguardError {
  override readonly name = 'ConfigError';
  constructor(
    readonly file: string,
    readonly field: string | undefined,
    reason: string,
  ) {
    super(field ? `${file}: ${field}: ${reason}` : `${file}: ${reason}`);
  }
}

/** A rule (built-in or user-supplied) that is malformed. */
export class RuleError extends LeakguardError {
  override readonly name = 'RuleError';
  constructor(
    readonly ruleId: string,
    readonly field: string,
    reason: string,
    readonly file?: string,
  ) {
    super(`${file ? `${file}: ` : ''}rule ${ruleId}: ${field}: ${reason}`);
  }
}

/** git exited non-zero or could not be started. */
export class GitError extends LeakguardError {
  override readonly name = 'GitError';
  constructor(
    readonly args: readonly string[],
    readonly code: number | null,
    readonly stderr: string,
    message?: string,
  ) {
    const detail = stderr.trim().split('\n').filter(Boolean).pop() ?? `exit code ${code}`;
    super(
      message ??
        `git ${args
          .filter((a) => !a.startsWith('-c'))
          .slice(0, 2)
          .join(' ')} failed: ${detail}`,
    );
  }
}

/** Input that cannot be read (missing path, unreadable file, bad stdin). */
export class InputError extends LeakguardError {
  override readonly name = 'InputError';
}

/** The fix could not be applied; everything it touched has been rolled back. */
export class FixError extends LeakguardError {
  override readonly name = 'FixError';
}

/**
 * A file that is not safe to read or write: not a regular file (a FIFO, device,
 * directory), larger than the limit for its kind, or reached through a symbolic
 * link where links are not followed. `code` holds the reason as a phrase, in the
 * place Node puts an errno code, so a caller reporting `cannot read (code)` prints it.
 */
export class UnsafeFileError extends LeakguardError {
  override readonly name = 'UnsafeFileError';
  constructor(
    readonly file: string,
    readonly kind: 'symlink' | 'parent-symlink' | 'not-regular' | 'too-large',
    readonly code: string,
  ) {
    super(`${file}: ${code}`);
  }
}

/** `leakguard install` will not touch the hook (a link, not a shell script…); it is left as it was. */
export class InstallError extends LeakguardError {
  override readonly name = 'InstallError';
}

/**
 * git's output could not be read with certainty for one file (a patch that does not
 * pair with its record, a blob git cannot give): the scan stops rather than guess,
 * since guessing could leave a file unread.
 */
export class GitOutputError extends LeakguardError {
  override readonly name = 'GitOutputError';
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`cannot read ${file} from git: ${reason}`);
  }
}
