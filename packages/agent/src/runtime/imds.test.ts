import { type HttpStandIn, sendJson, startHttpStandIn } from "@restyled/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MetadataError } from "../errors.js";
import { InstanceMetadata } from "./imds.js";

// A stand-in for the EC2 instance metadata service, IMDSv2 only: a GET
// without the session token gets 401, as on an instance that requires v2.
let imds: HttpStandIn;
let tokensIssued = 0;
const values: Record<string, string> = {
  "instance-id": "i-0123456789abcdef0",
  "public-hostname": "ec2-3-4-5-6.compute-1.amazonaws.com",
  "placement/region": "us-east-1",
};

beforeEach(async () => {
  tokensIssued = 0;
  imds = await startHttpStandIn((request, response) => {
    if (request.method === "PUT" && request.url === "/latest/api/token") {
      if (!request.headers["x-aws-ec2-metadata-token-ttl-seconds"]) {
        return sendJson(response, 400, { error: "missing ttl" });
      }
      tokensIssued += 1;
      response.writeHead(200, { "content-type": "text/plain" });
      response.end(`session-${tokensIssued}`);
      return;
    }
    if (request.headers["x-aws-ec2-metadata-token"] !== `session-${tokensIssued}`) {
      response.writeHead(401);
      response.end();
      return;
    }
    const path = request.url.replace("/latest/meta-data/", "");
    const value = values[path];
    if (value === undefined) return sendJson(response, 404, { error: "not found" });
    response.writeHead(200, { "content-type": "text/plain" });
    response.end(value);
  });
});
afterEach(() => imds.close());

describe("InstanceMetadata", () => {
  it("reads values with an IMDSv2 session token, fetched once", async () => {
    const metadata = new InstanceMetadata({ endpoint: imds.url });
    expect(await metadata.get("instance-id")).toBe("i-0123456789abcdef0");
    expect(await metadata.get("public-hostname")).toBe("ec2-3-4-5-6.compute-1.amazonaws.com");
    expect(tokensIssued).toBe(1);
    expect(imds.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      "PUT /latest/api/token",
      "GET /latest/meta-data/instance-id",
      "GET /latest/meta-data/public-hostname",
    ]);
  });

  it("answers undefined for an item the instance does not have", async () => {
    const metadata = new InstanceMetadata({ endpoint: imds.url });
    expect(await metadata.get("public-ipv4")).toBeUndefined();
  });

  it("gets a new session when the old one expired", async () => {
    const metadata = new InstanceMetadata({ endpoint: imds.url, retryDelayMs: 1 });
    await metadata.get("instance-id");
    tokensIssued += 1; // the service forgot session-1
    expect(await metadata.get("instance-id")).toBe("i-0123456789abcdef0");
  });

  it("explains that the service did not answer (not on EC2)", async () => {
    await imds.close();
    const metadata = new InstanceMetadata({ endpoint: imds.url, attempts: 2, retryDelayMs: 1 });
    const error = await metadata.get("instance-id").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MetadataError);
    expect((error as Error).message).toContain(
      "did not answer (not on EC2? pass the value as a flag)",
    );
  });
});
