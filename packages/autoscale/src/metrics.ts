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
