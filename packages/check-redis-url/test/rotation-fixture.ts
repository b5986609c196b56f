import { ECSClient } from "@aws-sdk/client-ecs";
import { SSMClient } from "@aws-sdk/client-ssm";
import { type RedisServer, startRedis } from "@restyled/testkit";
import { type HerokuApiStandIn, startHerokuApi } from "@restyled/testkit/heroku-api";
import pg from "pg";
import { afterAll, afterEach, beforeAll, expect, inject } from "vitest";
import { checkCredentials } from "../src/check.js";
import { type Config, resolveConfig } from "../src/config.js";
import { SyncFailedError } from "../src/errors.js";
import { mockEcs, parameterArn, REGION, type StandInService, taskDefinition } from "./ecs-store.js";
import { capturingLogger } from "./run-log.js";
import { mockSsmStore } from "./ssm-store.js";

// The shared set-up of the rotation tests (rotation.test.ts and
// rotation-refusals.test.ts): importing it registers the hooks. A rotation end to end. Real: redis-server and PostgreSQL (password, TLS
// with a throwaway CA, like Heroku's self-signed certificates), HTTP over
// loopback. Stand-ins: the Heroku Platform API (testkit), SSM and ECS
// (aws-sdk-client-mock over in-memory stores with the API's rules and shapes).
export const API_KEY = "heroku-key-rotation-5150";
export const REDIS_PASSWORD = "rotated-redis-password-77aa";
export const OLD_SECRET = "old-credential-secret-0f0f";
export const CLUSTER = "restyled-rot";
export let heroku: HerokuApiStandIn;
export let redis: RedisServer;
let admin: pg.Client;
export const postgres = inject("postgres");
const cleanups: Array<() => void> = [];
let runs = 0;

beforeAll(async () => {
  [heroku, redis] = await Promise.all([
    startHerokuApi({ token: API_KEY }),
    startRedis({ password: REDIS_PASSWORD }),
  ]);
  admin = new pg.Client({ connectionString: postgres.url, ssl: false });
  await admin.connect();
});
afterAll(async () => {
  await admin?.end();
  await Promise.all([heroku?.close(), redis?.stop()]);
});
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A fresh login role with a password, as Heroku creates on rotation; returns its URL. */
export async function createRole(password: string): Promise<string> {
  const role = `rotated_${Math.floor(Math.random() * 1e9)}`;
  await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
  return `postgres://${role}:${encodeURIComponent(password)}@127.0.0.1:${postgres.port}/postgres`;
}

const WEBHOOKS_TD = "restyled-rot-webhooks";

/** Services of the cluster: webhooks reads both URLs by ARN, worker the database by name, others neither. */
function cluster(
  env: string,
  options: { webhooks?: Partial<StandInService>; fillers?: number } = {},
) {
  const redisParameter = `/restyled/${env}/redis-url`;
  const databaseParameter = `/restyled/${env}/database-url`;
  const definitions = [
    taskDefinition(WEBHOOKS_TD, {
      REDIS_URL: parameterArn(redisParameter),
      DATABASE_URL: parameterArn(databaseParameter),
    }),
    taskDefinition("restyled-rot-worker", { DATABASE_URL: databaseParameter }),
    // Same name, another region: a different parameter.
    taskDefinition("restyled-rot-elsewhere", {
      REDIS_URL: parameterArn(redisParameter, "eu-west-1"),
    }),
    taskDefinition("restyled-rot-other", {
      GITHUB_APP_KEY: parameterArn(`/restyled/${env}/github-app-key`),
    }),
  ];
  const arn = (family: string) =>
    definitions.find((d) => d.family === family)?.taskDefinitionArn ?? "";
  const services: StandInService[] = [
    { name: "webhooks", taskDefinition: arn(WEBHOOKS_TD), ...options.webhooks },
    { name: "worker", taskDefinition: arn("restyled-rot-worker") },
    { name: "elsewhere", taskDefinition: arn("restyled-rot-elsewhere") },
    // Enough services that listing them takes more than one page of 100.
    ...Array.from({ length: options.fillers ?? 0 }, (_, i) => ({
      name: `filler-${i}`,
      taskDefinition: arn("restyled-rot-other"),
    })),
  ];
  return mockEcs(CLUSTER, { services, taskDefinitions: definitions });
}

interface SetUpOptions {
  heroku: Record<string, string>;
  stored?: Record<string, string>;
  webhooks?: Partial<StandInService>;
  fillers?: number;
}

export function setUp(options: SetUpOptions) {
  runs += 1;
  const env = `rot${runs}`;
  const app = `restyled-rotation-${runs}`;
  heroku.apps[app] = options.heroku;
  const parameters: Parameters<typeof mockSsmStore>[0] = {
    [`/restyled/${env}/heroku-api-key`]: { value: API_KEY, type: "SecureString", version: 1 },
  };
  for (const [key, value] of Object.entries(options.stored ?? {})) {
    parameters[`/restyled/${env}/${key}`] = { value, type: "SecureString", version: 3 };
  }
  const ssm = mockSsmStore(parameters);
  const ecs = cluster(env, options);
  cleanups.push(
    () => ssm.mock.restore(),
    () => ecs.restore(),
  );
  const { logger, lines } = capturingLogger();
  const config = (extra: Partial<Config> = {}): Config => ({
    ...resolveConfig(
      [
        ...["--env", env, "--app", app, "--cluster", CLUSTER, "--heroku-api-url", heroku.url],
        ...["--ping-timeout", "5s", "--postgres-ca-file", postgres.caFile, "--roll-timeout", "30s"],
      ],
      {},
    ),
    ...extra,
  });
  const run = (extra?: Partial<Config>) =>
    checkCredentials(config(extra), {
      ssm: new SSMClient({ region: REGION }),
      ecs: new ECSClient({ region: REGION }),
      logger,
      rollPollSeconds: 0.05,
    });
  const failure = async (extra?: Partial<Config>) => {
    const error = await run(extra).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SyncFailedError);
    return error as SyncFailedError;
  };
  const value = (key: string) => ssm.parameters.get(`/restyled/${env}/${key}`)?.value;
  const updated = () =>
    ecs.updates().map((call) => String(call.args[0].input.service).split("/").at(-1));
  return { env, app, ssm, ecs, lines, run, failure, value, updated };
}

export function expectNoSecrets(lines: string[], secrets: string[]) {
  const text = lines.join("\n");
  for (const secret of [API_KEY, REDIS_PASSWORD, OLD_SECRET, ...secrets]) {
    expect(text).not.toContain(secret);
  }
}

export const oldRedis = `rediss://:${OLD_SECRET}@10.255.0.1:25310`;
export const oldDatabase = `postgres://old_role:${OLD_SECRET}@10.255.0.2:5432/d1`;
