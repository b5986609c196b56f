import { type HttpStandIn, startHttpStandIn } from "@restyled/testkit";

/** One Auto Scaling call as the stand-in received it (Query protocol form fields). */
export type AutoScalingCall = Record<string, string> & { Action: string; at: string };

export interface AutoScalingEndpoint extends HttpStandIn {
  actions: string[];
  calls: AutoScalingCall[];
  /** Makes Auto Scaling forget the action with `token`, as when its hook times out. */
  expire(token: string): void;
}

const XMLNS = "http://autoscaling.amazonaws.com/doc/2011-01-01/";

/**
 * A loopback stand-in for the Auto Scaling calls a spawned agent process makes
 * (aws-sdk-client-mock cannot reach another process, nor exercise the SDK's
 * own retries), answering in the Query protocol's XML:
 * CompleteLifecycleAction, RecordLifecycleActionHeartbeat and
 * DescribeLifecycleHooks. As strict as the service about actions that are
 * gone: a completed or expired action's token gets AWS's ValidationError.
 */
export async function startAutoScalingEndpoint(
  options: { heartbeatTimeoutS?: number } = {},
): Promise<AutoScalingEndpoint> {
  const actions: string[] = [];
  const calls: AutoScalingCall[] = [];
  const gone = new Set<string>();
  const standIn = await startHttpStandIn((request, response) => {
    const form = Object.fromEntries(new URLSearchParams(request.body.toString("utf8")));
    const action = form.Action ?? "";
    actions.push(action);
    calls.push({ ...form, Action: action, at: String(request.at) });
    const fail = (code: string, message: string) => {
      response.writeHead(400, { "content-type": "text/xml" });
      response.end(
        `<ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>stand-in</RequestId></ErrorResponse>`,
      );
    };
    const answer = (result: string) => {
      response.writeHead(200, { "content-type": "text/xml" });
      response.end(
        `<${action}Response xmlns="${XMLNS}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>stand-in</RequestId></ResponseMetadata></${action}Response>`,
      );
    };
    if (action === "DescribeLifecycleHooks") {
      const hook = form["LifecycleHookNames.member.1"] ?? "";
      return answer(
        `<LifecycleHooks><member><LifecycleHookName>${hook}</LifecycleHookName><AutoScalingGroupName>${form.AutoScalingGroupName}</AutoScalingGroupName><HeartbeatTimeout>${options.heartbeatTimeoutS ?? 3600}</HeartbeatTimeout><DefaultResult>ABANDON</DefaultResult></member></LifecycleHooks>`,
      );
    }
    if (!["CompleteLifecycleAction", "RecordLifecycleActionHeartbeat"].includes(action)) {
      return fail("InvalidAction", `${action} is not supported here`);
    }
    const token = form.LifecycleActionToken ?? "";
    if (gone.has(token)) {
      return fail("ValidationError", `No active Lifecycle Action found with token ${token}`);
    }
    if (action === "CompleteLifecycleAction") gone.add(token);
    answer("");
  });
  return Object.assign(standIn, {
    actions,
    calls,
    expire: (token: string) => {
      gone.add(token);
    },
  });
}
