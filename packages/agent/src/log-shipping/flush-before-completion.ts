import type { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import type { Logger } from "../logger.js";
import type { LogShipper } from "./log-shipper.js";

/**
 * Makes every CompleteLifecycleAction sent through `autoscaling` wait, for at
 * most `timeoutMs`, until the log lines written so far are in CloudWatch
 * Logs: after a TERMINATING action completes the instance goes, and with it
 * whatever was still buffered. Done as SDK middleware so the lifecycle code
 * needs no knowledge of log shipping.
 */
export function flushLogsBeforeCompletion(
  autoscaling: Pick<AutoScalingClient, "middlewareStack">,
  options: { shipper: LogShipper; timeoutMs: number; log: Logger },
): void {
  autoscaling.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === "CompleteLifecycleActionCommand") {
        const { left } = await options.shipper.flush(Date.now() + options.timeoutMs);
        if (left > 0) options.log.warn("completing with log lines not yet shipped", { left });
      }
      return next(args);
    },
    { step: "initialize", name: "flushAgentLogsBeforeCompletion" },
  );
}
