import { type HttpStandIn, startHttpStandIn } from "@restyled/testkit";

/** One Auto Scaling call as the stand-in received it (Query protocol form fields). */
export type AutoScalingCall = Record<string, string> & { Action: string; at: string };

/**
 * A loopback stand-in for the Auto Scaling calls a spawned agent process makes
 * (aws-sdk-client-mock cannot reach another process), answering in the Query
 * protocol's XML: CompleteLifecycleAction and RecordLifecycleActionHeartbeat.
 */
export async function startAutoScalingEndpoint(): Promise<
  HttpStandIn & { actions: string[]; calls: AutoScalingCall[] }
> {
  const actions: string[] = [];
  const calls: AutoScalingCall[] = [];
  const standIn = await startHttpStandIn((request, response) => {
    const form = Object.fromEntries(new URLSearchParams(request.body.toString("utf8")));
    const action = form.Action ?? "";
    actions.push(action);
    calls.push({ ...form, Action: action, at: String(request.at) });
    if (!["CompleteLifecycleAction", "RecordLifecycleActionHeartbeat"].includes(action)) {
      response.writeHead(400, { "content-type": "text/xml" });
      response.end(
        `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>${action} is not supported here</Message></Error><RequestId>bench</RequestId></ErrorResponse>`,
      );
      return;
    }
    response.writeHead(200, { "content-type": "text/xml" });
    response.end(
      `<${action}Response xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/"><${action}Result/><ResponseMetadata><RequestId>bench</RequestId></ResponseMetadata></${action}Response>`,
    );
  });
  return Object.assign(standIn, { actions, calls });
}
