import { ConfigError } from "./errors.js";

export interface QueueSpec {
  name: string;
  /** restyled.io's dequeue weight; the depth counts every queue whatever its weight. */
  weight: number;
}

/**
 * Parses restyled.io's `RESTYLER_QUEUES` format, `name[/weight],...`, such as
 * `restyled:hooks:webhooks/2,restyled:agent:webhooks`.
 */
export function parseQueues(value: string, what = "RESTYLER_QUEUES"): QueueSpec[] {
  const queues: QueueSpec[] = [];
  for (const [index, raw] of value.split(",").entries()) {
    const item = raw.trim();
    if (item === "") {
      throw new ConfigError(`${what}: entry ${index + 1} is empty (expected name[/weight],...)`);
    }
    const slash = item.lastIndexOf("/");
    const name = (slash === -1 ? item : item.slice(0, slash)).trim();
    const weightText = slash === -1 ? "1" : item.slice(slash + 1).trim();
    if (name === "" || /\s/.test(name)) {
      throw new ConfigError(`${what}: "${item}" has no valid queue name`);
    }
    if (!/^\d+$/.test(weightText) || Number(weightText) < 1) {
      throw new ConfigError(
        `${what}: "${item}" has weight "${weightText}", not a positive integer`,
      );
    }
    if (queues.some((q) => q.name === name)) {
      throw new ConfigError(`${what}: queue "${name}" is listed twice`);
    }
    queues.push({ name, weight: Number(weightText) });
  }
  return queues;
}
