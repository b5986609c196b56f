import { type HttpStandIn, startHttpStandIn } from "@restyled/testkit";

/**
 * A loopback stand-in for the three Auto Scaling calls the agent process
 * makes, answering in the Query protocol's XML, so a separately spawned agent
 * (which aws-sdk-client-mock cannot reach) can complete its LAUNCHING action.
 */
export async function startAutoScalingEndpoint(): Promise<HttpStandIn & { actions: string[] }> {
  const actions: string[] = [];
  const standIn = await startHttpStandIn((request, response) => {
    const action = new URLSearchParams(request.body.toString("utf8")).get("Action") ?? "";
    actions.push(action);
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
  return Object.assign(standIn, { actions });
}
