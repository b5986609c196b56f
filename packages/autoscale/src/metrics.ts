import { type CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import type { QueueDepth } from "./queue-depth.js";

export const METRIC_NAMESPACE = "Restyled";
export const QUEUE_DEPTH_METRIC = "QueueDepth";

/** Publishes `Restyled/QueueDepth` per queue, for alarms and dashboards. */
export async function publishQueueDepths(
  client: CloudWatchClient,
  options: { environment: string; depths: QueueDepth[]; time: Date },
): Promise<void> {
  if (options.depths.length === 0) return;
  await client.send(
    new PutMetricDataCommand({
      Namespace: METRIC_NAMESPACE,
      MetricData: options.depths.map((queue) => ({
        MetricName: QUEUE_DEPTH_METRIC,
        Unit: "Count",
        Value: queue.depth,
        Timestamp: options.time,
        Dimensions: [
          { Name: "Environment", Value: options.environment },
          { Name: "QueueName", Value: queue.name },
        ],
      })),
    }),
  );
}

export const STUCK_LAUNCHES_METRIC = "StuckLaunches";

/**
 * Publishes `Restyled/StuckLaunches` (launches not in service within the
 * bound, and instances missing after a failed launch) on every run, 0 included,
 * so the stack's alarm has data and clears by itself.
 */
export async function publishStuckLaunches(
  client: CloudWatchClient,
  options: { environment: string; count: number; time: Date },
): Promise<void> {
  await client.send(
    new PutMetricDataCommand({
      Namespace: METRIC_NAMESPACE,
      MetricData: [
        {
          MetricName: STUCK_LAUNCHES_METRIC,
          Unit: "Count",
          Value: options.count,
          Timestamp: options.time,
          Dimensions: [{ Name: "Environment", Value: options.environment }],
        },
      ],
    }),
  );
}
