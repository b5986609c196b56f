import { ConfigError, DependencyError, GroupNotFoundError } from "./errors.js";

/**
 * Prefixes a failure with what was being done ("SetDesiredCapacity on group
 * machines-prod: ..."), since an AWS SDK message alone rarely says which call
 * failed. Errors that already explain themselves pass through.
 */
export async function withContext<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (
      error instanceof ConfigError ||
      error instanceof GroupNotFoundError ||
      error instanceof DependencyError
    ) {
      throw error;
    }
    const name = error instanceof Error ? error.name : "Error";
    const message = error instanceof Error ? error.message : String(error);
    throw new DependencyError(`${what} failed (${name}): ${message}`, { cause: error });
  }
}
