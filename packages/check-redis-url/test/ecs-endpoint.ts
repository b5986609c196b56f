import { type HttpStandIn, sendJson, startHttpStandIn } from "@restyled/testkit";
import { isSignedFor } from "@restyled/testkit/sigv4";
import type { EcsState } from "./ecs-state.js";

export interface EcsEndpoint extends HttpStandIn {
  state: EcsState;
  /** The operations called, in order (`UpdateService`, …). */
  operations(): string[];
}

const TARGET_PREFIX = "AmazonEC2ContainerServiceV20141113.";

/**
 * ECS's JSON 1.1 wire protocol on loopback (`X-Amz-Target:
 * AmazonEC2ContainerServiceV20141113.*`) over the in-memory state of
 * ecs-state.ts, for code whose SDK client cannot be mocked in-process: the
 * bundled Lambda. Like AWS it insists on a SigV4 signature for the service
 * `ecs`; errors come back as `{__type, message}` with status 400, timestamps
 * as epoch seconds.
 */
export async function startEcsEndpoint(state: EcsState): Promise<EcsEndpoint> {
  const standIn = await startHttpStandIn((request, response) => {
    const target = String(request.headers["x-amz-target"] ?? "");
    if (!isSignedFor(request, "ecs")) {
      return sendJson(response, 400, {
        __type: "MissingAuthenticationTokenException",
        message: "unsigned",
      });
    }
    const name = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : "";
    const operation = state.operations[name as keyof EcsState["operations"]];
    if (!operation) {
      return sendJson(response, 400, { __type: "UnknownOperationException", message: target });
    }
    try {
      const input = JSON.parse(request.body.toString("utf8") || "{}");
      const output = operation(input);
      // JSON.stringify calls toJSON before a replacer sees the value.
      const body = JSON.stringify(output, function (this: Record<string, unknown>, key, value) {
        const raw = this[key];
        return raw instanceof Date ? raw.getTime() / 1000 : value;
      });
      response.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
      response.end(body);
    } catch (error) {
      const { name: type, message } = error as Error;
      sendJson(response, 400, { __type: type, message });
    }
  });
  return Object.assign(standIn, {
    state,
    operations: () =>
      standIn.requests.map((r) => String(r.headers["x-amz-target"]).replace(TARGET_PREFIX, "")),
  });
}
