import { type HttpStandIn, sendJson, startHttpStandIn } from "@restyled/testkit";
import { isSignedFor } from "@restyled/testkit/sigv4";
import errors from "./fixtures/errors.json" with { type: "json" };
import type { StoredParameter } from "./ssm-store.js";

export interface SsmEndpoint extends HttpStandIn {
  parameters: Map<string, StoredParameter>;
}

/**
 * SSM's JSON 1.1 wire protocol on loopback (`X-Amz-Target: AmazonSSM.*`),
 * for code whose SDK client cannot be mocked in-process: the bundled Lambda.
 * It insists on a SigV4 signature for the service `ssm`, as AWS does, and
 * answers GetParameter, DescribeParameters and PutParameter like the store
 * in ssm-store.ts.
 */
export async function startSsmEndpoint(
  initial: Record<string, StoredParameter>,
): Promise<SsmEndpoint> {
  const parameters = new Map(Object.entries(initial));
  const fail = (response: Parameters<typeof sendJson>[0], type: keyof typeof errors) =>
    sendJson(response, 400, { __type: type, message: errors[type].message });

  const standIn = await startHttpStandIn((request, response) => {
    const target = String(request.headers["x-amz-target"] ?? "");
    if (!isSignedFor(request, "ssm")) {
      return sendJson(response, 400, {
        __type: "MissingAuthenticationTokenException",
        message: "unsigned",
      });
    }
    const input = JSON.parse(request.body.toString("utf8") || "{}");
    if (target === "AmazonSSM.GetParameter") {
      const found = parameters.get(input.Name);
      if (!found) return fail(response, "ParameterNotFound");
      return sendJson(response, 200, {
        Parameter: {
          Name: input.Name,
          Type: found.type,
          Value: found.type === "SecureString" && !input.WithDecryption ? "AQICAH==" : found.value,
          Version: found.version,
          DataType: "text",
          LastModifiedDate: 1768472430,
          ARN: `arn:aws:ssm:us-east-1:123456789012:parameter${input.Name}`,
        },
      });
    }
    if (target === "AmazonSSM.DescribeParameters") {
      const name = input.ParameterFilters?.[0]?.Values?.[0];
      const found = parameters.get(name);
      return sendJson(response, 200, {
        Parameters: found
          ? [
              {
                Name: name,
                Type: found.type,
                KeyId: found.keyId,
                Tier: found.tier ?? "Standard",
                Version: found.version,
              },
            ]
          : [],
      });
    }
    if (target === "AmazonSSM.PutParameter") {
      const existing = parameters.get(input.Name);
      if (existing && !input.Overwrite) return fail(response, "ParameterAlreadyExists");
      const version = (existing?.version ?? 0) + 1;
      parameters.set(input.Name, {
        value: input.Value,
        type: input.Type ?? existing?.type ?? "String",
        version,
        keyId: input.KeyId,
        tier: input.Tier ?? "Standard",
      });
      return sendJson(response, 200, { Version: version, Tier: input.Tier ?? "Standard" });
    }
    return sendJson(response, 400, {
      __type: "InvalidAction",
      message: `unknown target ${target}`,
    });
  });
  return Object.assign(standIn, { parameters });
}
