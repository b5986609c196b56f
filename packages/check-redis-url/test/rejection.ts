import { expect } from "vitest";

/**
 * The error `promise` rejects with, after checking its class, so a test can
 * go on to assert what the message says (and does not say).
 */
export async function rejectionOf<E extends Error>(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => E,
): Promise<E> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(type);
  return error as E;
}
