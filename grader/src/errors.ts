// Errors that stop a command as a whole, each with the exit code the CLI gives it. Anything else is a bug: exit 1.

/** Bad arguments or input the command cannot work with (a missing file, an unknown option value). */
export const USAGE_EXIT = 2;
/** The grader cannot work on this machine or installation. */
export const ENVIRONMENT_EXIT = 3;

/** The command was used wrongly: the message says how to use it. */
export class UsageError extends Error {
  override name = "UsageError";
  readonly exitCode = USAGE_EXIT;
}

/** An instructor's source notebook cannot be graded against (a bad cell, a failing reference cell). */
export class AssignmentError extends Error {
  override name = "AssignmentError";
  readonly exitCode = USAGE_EXIT;
}

/**
 * The grader cannot work on this machine or installation (the sandbox does not start, the project is not built, a
 * package is missing): nothing was graded, and the message tells the staff what failed and what to do. Never a
 * student's fault, so never written into a student's result.
 */
export class GraderEnvironmentError extends Error {
  override name = "GraderEnvironmentError";
  readonly exitCode = ENVIRONMENT_EXIT;
}

/** The exit code for an error that stopped a command. */
export function exitCodeOf(e: unknown): number {
  return e instanceof UsageError || e instanceof AssignmentError || e instanceof GraderEnvironmentError ? e.exitCode : 1;
}
