// Errors that stop a command as a whole, with the exit code the CLI gives them.

/** Exit code of a command stopped by a GraderEnvironmentError. */
export const ENVIRONMENT_EXIT = 3;

/**
 * The grader cannot work on this machine or installation (the sandbox does not start, the project is not built, a
 * package is missing): nothing was graded, and the message tells the staff what failed and what to do. Never a
 * student's fault, so never written into a student's result.
 */
export class GraderEnvironmentError extends Error {
  override name = "GraderEnvironmentError";
  readonly exitCode = ENVIRONMENT_EXIT;
}
