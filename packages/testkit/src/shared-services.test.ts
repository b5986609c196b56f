import { describe, expect, it } from "vitest";
import { readSharedServices, SHARED_ENV, sharedServicesEnv } from "./shared-services.js";

const docker = {
  host: "tcp://127.0.0.1:2376",
  port: 2376,
  certPath: "/tmp/x/certs/client",
  certDir: "/tmp/x/certs",
  socketPath: "/tmp/x/docker.sock",
  image: "restyled-testkit/busybox:latest",
};

const postgres = {
  url: "postgres://u:p@127.0.0.1:5/postgres",
  port: 5,
  password: "p",
  caFile: "/tmp/x/ca.pem",
};

describe("shared services in the environment", () => {
  it("reads back what the root test command announced", () => {
    const env = sharedServicesEnv({
      redisUrl: "redis://127.0.0.1:1234",
      postgres,
      docker,
    });
    expect(readSharedServices(env)).toEqual({
      redisUrl: "redis://127.0.0.1:1234",
      postgres,
      docker,
    });
  });

  it("announces nothing when no service runs, so a package starts its own", () => {
    expect(sharedServicesEnv({})).toEqual({});
    expect(readSharedServices({})).toEqual({});
  });

  it("refuses a docker description that lacks a field, naming it", () => {
    const { image: _image, ...partial } = docker;
    expect(() => readSharedServices({ [SHARED_ENV.docker]: JSON.stringify(partial) })).toThrow(
      `${SHARED_ENV.docker} lacks "image"`,
    );
  });
});
