import { execFileSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { asIntrinsic } from "../src/intrinsics.js";
import { lambdaCodeOf } from "../src/lambda-code.js";
import { LAMBDA_NODE_RUNTIME } from "../src/lambda-runtime.js";
import { fieldOf, sectionOf, stringOf } from "../src/template.js";
import { useShippedTemplates } from "./shipped-templates.js";

// The contract the shipped templates keep with the other packages and with
// restyled.io (ARCHITECTURE.md): names, environment variables, permissions.
const { templates, resource, property, plain, envVars, statements, ENV } = useShippedTemplates();

const actionsOf = (s: Record<string, unknown>) => [s.Action].flat() as string[];

describe("machines", () => {
  it("uses a launch template with IMDSv2 required", () => {
    expect(
      plain(property("machines", "LaunchTemplate", "LaunchTemplateData.MetadataOptions")),
    ).toMatchObject({
      HttpTokens: "required",
    });
    expect(fieldOf(resource("machines", "MachinesGroup"), "Properties")).toBeDefined();
    expect(plain(property("machines", "MachinesGroup", "LaunchConfigurationName"))).toBeUndefined();
  });

  it("declares both lifecycle hooks, named per the contract, with heartbeat timeouts, to the queue", () => {
    const hooks = plain(
      property("machines", "MachinesGroup", "LifecycleHookSpecificationList"),
    ) as Array<Record<string, unknown>>;
    expect(hooks.map((h) => h.LifecycleTransition)).toEqual([
      "autoscaling:EC2_INSTANCE_LAUNCHING",
      "autoscaling:EC2_INSTANCE_TERMINATING",
    ]);
    expect(hooks.map((h) => h.LifecycleHookName)).toEqual([
      { "Fn::Sub": `restyled-machine-${ENV}-launching` },
      { "Fn::Sub": `restyled-machine-${ENV}-terminating` },
    ]);
    for (const hook of hooks) {
      expect(hook.HeartbeatTimeout).toEqual({ Ref: "LifecycleHeartbeatTimeout" });
      expect(hook.NotificationTargetARN).toEqual({ "Fn::GetAtt": "LifecycleQueue.Arn" });
      expect(hook.RoleARN).toEqual({ "Fn::GetAtt": "LifecycleHookRole.Arn" });
    }
  });

  it("gives the lifecycle queue a dead-letter queue", () => {
    expect(plain(property("machines", "LifecycleQueue", "RedrivePolicy"))).toMatchObject({
      deadLetterTargetArn: { "Fn::GetAtt": "LifecycleDeadLetterQueue.Arn" },
    });
  });

  it("lets the agent do only its lifecycle work and read only the API token", () => {
    // Exactly the calls @restyled/agent makes: nothing it never calls.
    const granted = statements("machines", "MachineRole");
    const actions = granted.flatMap(actionsOf).sort();
    expect(actions).toEqual([
      "autoscaling:CompleteLifecycleAction",
      "autoscaling:DescribeLifecycleHooks",
      "autoscaling:RecordLifecycleActionHeartbeat",
      "kms:Decrypt",
      "logs:CreateLogStream",
      "logs:PutLogEvents",
      "sqs:ChangeMessageVisibility",
      "sqs:DeleteMessage",
      "sqs:ReceiveMessage",
      "ssm:GetParameter",
    ]);
    const token = granted.find((s) => actionsOf(s).includes("ssm:GetParameter"));
    expect(JSON.stringify(token?.Resource)).toMatch(
      /parameter\/restyled\/\$\{Environment\}\/restyled-api-token"\}$/,
    );
    const complete = granted.find((s) =>
      actionsOf(s).includes("autoscaling:CompleteLifecycleAction"),
    );
    expect(JSON.stringify(complete?.Resource)).toContain(
      `autoScalingGroupName/restyled-${ENV}-machines`,
    );
  });

  it("keeps a warm pool of stopped machines, never reused (machine names are unique over time), switchable off", () => {
    expect(plain(resource("machines", "MachinesWarmPool"))).toEqual({
      Type: "AWS::AutoScaling::WarmPool",
      Condition: "WarmPoolOn",
      Properties: {
        AutoScalingGroupName: { Ref: "MachinesGroup" },
        PoolState: "Stopped",
        MinSize: { Ref: "WarmPoolMinSize" },
        InstanceReusePolicy: { ReuseOnScaleIn: false },
      },
    });
    const parameters = sectionOf(templates.get("machines")!, "Parameters")!;
    expect(plain(fieldOf(parameters, "WarmPoolMinSize"))).toMatchObject({
      Type: "Number",
      Default: 0,
      MinValue: 0,
    });
    expect(plain(fieldOf(parameters, "WarmPoolEnabled"))).toMatchObject({
      AllowedValues: ["true", "false"],
    });
    expect(
      plain(fieldOf(sectionOf(templates.get("machines")!, "Conditions")!, "WarmPoolOn")),
    ).toEqual({ "Fn::Equals": [{ Ref: "WarmPoolEnabled" }, "true"] });
    // What a warm pool cannot live with (PutWarmPool): Spot, a mixed instances policy.
    expect(plain(property("machines", "MachinesGroup", "MixedInstancesPolicy"))).toBeUndefined();
    expect(
      plain(property("machines", "LaunchTemplate", "LaunchTemplateData.InstanceMarketOptions")),
    ).toBeUndefined();
  });

  it("opens 2376 to the apps security group, and 22 only when asked", () => {
    const ingress = plain(
      property("machines", "MachinesSecurityGroup", "SecurityGroupIngress"),
    ) as Array<Record<string, unknown>>;
    expect(ingress).toHaveLength(1);
    expect(ingress[0]).toMatchObject({ FromPort: 2376, ToPort: 2376 });
    expect(fieldOf(resource("machines", "SshIngress"), "Condition")).toMatchObject({
      value: "SshEnabled",
    });
    const defaults = sectionOf(templates.get("machines")!, "Parameters")!;
    expect(plain(fieldOf(defaults, "DockerClientCidrs"))).toMatchObject({ Default: "" });
    expect(plain(fieldOf(defaults, "SshKeyName"))).toMatchObject({ Default: "" });
  });

  it("refuses a world-open DockerClientCidrs before creating anything", () => {
    // CloudFormation checks Rules before any resource changes, so a deploy
    // passing 0.0.0.0/0 fails instead of exposing dockerd to the internet.
    const rules = plain(sectionOf(templates.get("machines")!, "Rules")) as Record<
      string,
      { Assertions: Array<{ Assert: unknown }> }
    >;
    const asserts = Object.values(rules ?? {}).flatMap((r) => r.Assertions.map((a) => a.Assert));
    expect(asserts).toContainEqual({
      "Fn::Not": [{ "Fn::Contains": [{ Ref: "DockerClientCidrs" }, "0.0.0.0/0"] }],
    });
  });

  describe("user-data", () => {
    let script = "";
    beforeAll(() => {
      const userData = property("machines", "LaunchTemplate", "LaunchTemplateData.UserData");
      const base64 = userData && asIntrinsic(userData);
      const sub = base64 && asIntrinsic(base64.arg);
      const text = sub && stringOf(sub.arg);
      expect(text).toBeDefined();
      const sample: Record<string, string> = {
        Environment: "prod",
        InitCertificatesVersion: "1.2.3",
        AgentVersion: "4.5.6",
        NodeVersion: "24.22.3",
        NodeSha256: "a".repeat(64),
        DrainTimeoutMinutes: "15",
        MaxInstanceLifetime: "1209600",
        MachinesLogGroup: "restyled/prod/machines",
        LifecycleQueue: "https://sqs.us-east-1.amazonaws.com/123456789012/q",
        RestyledUrl: "https://restyled.io",
        "AWS::Region": "us-east-1",
      };
      script = (text ?? "").replace(/\$\{([^}!]+)\}/g, (_, name: string) => {
        const value = sample[name];
        if (value === undefined)
          throw new Error(`user-data uses \${${name}} without a sample value`);
        return value;
      });
    });

    it("is a script bash accepts", () => {
      expect(() => execFileSync("bash", ["-n"], { input: script })).not.toThrow();
    });

    it("installs the pinned upstream Node.js, not the distribution's, and pins the published packages", () => {
      expect(script).not.toMatch(/apt-get install -y .*\b(nodejs|npm)\b/);
      expect(script).toContain("node-v24.22.3-linux-x64.tar.xz");
      expect(script).toContain("npm install --global @restyled/init-certificates@1.2.3");
      expect(script).toContain("npm install --global @restyled/agent@4.5.6");
      // Installed once: nothing reaches the registry at a later boot.
      expect(script).not.toMatch(/^\s*npx /m);
    });

    it("reads the public hostname through IMDSv2 at every boot, before dockerd starts", () => {
      expect(script).toContain("imds_url=http://169.254.169.254/latest");
      expect(script).toContain('-X PUT "$imds_url/api/token"');
      expect(script).toContain('"$imds_url/meta-data/public-hostname"');
      expect(script).toContain(
        '"$init_certificates" --keep-valid --min-days "$min_days" \\\n  -H "$public_hostname" -o "$cert_dir" --days 365',
      );
      // A oneshot unit, run once per boot, that docker.service requires and waits for.
      expect(script).toContain(
        "[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/usr/local/sbin/restyled-docker-certificates",
      );
      expect(script).toContain("Before=docker.service");
      expect(script).toContain(
        "restyled-certificates.conf <<'CONF'\n[Unit]\nRequires=restyled-docker-certificates.service\nAfter=restyled-docker-certificates.service\nCONF",
      );
      // The certificates outlast the machine's longest run (14 days here).
      expect(script).toContain("min_days=$(( (1209600 + 86399) / 86400 ))");
    });

    it("runs dockerd with mutual TLS on 2376", () => {
      expect(script).toContain(
        "--tlsverify --tlscacert /etc/docker/certs/ca.pem --tlscert /etc/docker/certs/server_cert.pem --tlskey /etc/docker/certs/server_key.pem -H tcp://0.0.0.0:2376",
      );
    });

    it("runs the agent under systemd, restarting on failure and outwaiting its drain", () => {
      expect(script).toContain("ExecStart=/usr/local/bin/restyled-agent");
      expect(script).toContain("Restart=on-failure");
      expect(script).toContain("Environment=RESTYLED_ENV=prod");
      expect(script).toContain(
        "Environment=AGENT_QUEUE_URL=https://sqs.us-east-1.amazonaws.com/123456789012/q",
      );
      expect(script).toContain("Environment=DOCKER_CERT_PATH=/etc/docker/certs/client");
      expect(script).toContain("Environment=DRAIN_TIMEOUT=15m");
      expect(script).toContain("stop_timeout=$(( 15 * 60 + 120 ))");
      expect(script).toContain("TimeoutStopSec=$stop_timeout");
    });

    it("bakes in no secret", () => {
      expect(script).not.toMatch(
        /RESTYLED_API_TOKEN|restyled-api-token|\/restyled\/prod\/|password|secret/i,
      );
    });
  });
});

describe("ops", () => {
  it("gives autoscale the environment variables its package reads", () => {
    expect(envVars("ops", "AutoscaleFunction")).toEqual([
      "JOBS_PER_MACHINE",
      "LOG_LEVEL",
      "MACHINES_GROUP_NAME",
      "REDIS_TLS_INSECURE",
      "RESTYLED_ENV",
      "RESTYLED_URL",
      "RESTYLER_QUEUES",
      "SCALE_IN_STABILIZATION",
      "WEBHOOKS_CLUSTER",
      "WEBHOOKS_SERVICE",
    ]);
  });

  it("gives check-redis-url the environment variables its package reads", () => {
    expect(envVars("ops", "CheckRedisUrlFunction")).toEqual([
      "ECS_CLUSTER",
      "HEROKU_APP",
      "LOG_LEVEL",
      "POSTGRES_TLS_INSECURE",
      "REDIS_TLS_INSECURE",
      "RESTYLED_ENV",
      "ROLL_TIMEOUT",
      "SYNC_VARIABLES",
    ]);
  });

  it("alarms on check-redis-url's error lines, since a failed check returns rather than throws", () => {
    const filter = "CheckRedisUrlFailureMetricFilter";
    expect(plain(property("ops", filter, "FilterPattern"))).toBe('{ $.level = "error" }');
    expect(plain(property("ops", filter, "LogGroupName"))).toEqual({
      Ref: "CheckRedisUrlLogGroup",
    });
    const [transformation] = plain(property("ops", filter, "MetricTransformations")) as Array<{
      MetricName: unknown;
      MetricNamespace: string;
    }>;
    expect(plain(property("ops", "CheckRedisUrlFailuresAlarm", "Namespace"))).toBe(
      transformation?.MetricNamespace,
    );
    expect(plain(property("ops", "CheckRedisUrlFailuresAlarm", "MetricName"))).toEqual(
      transformation?.MetricName,
    );
  });

  it("lets check-redis-url describe and overwrite only the credential URL parameters", () => {
    // Overwriting keeps the parameter's KMS key and tier, which only
    // ssm:DescribeParameters tells (see check-redis-url's ssm.ts); without it
    // every rotated URL fails with AccessDenied before it is written.
    const granted = statements("ops", "CheckRedisUrlRole");
    const describe = granted.find((s) => actionsOf(s).includes("ssm:DescribeParameters"));
    expect(describe?.Effect).toBe("Allow");
    expect(actionsOf(describe!)).toEqual(["ssm:DescribeParameters"]);
    const put = granted.find((s) => actionsOf(s).includes("ssm:PutParameter"));
    expect(actionsOf(put!)).toEqual(["ssm:PutParameter"]);
    expect(
      (put!.Resource as Array<{ "Fn::Sub": string }>).map((r) =>
        r["Fn::Sub"].replace(/.*:parameter\/restyled\/\$\{Environment\}\//, ""),
      ),
    ).toEqual(["redis-url", "database-url"]);
  });

  it("limits PutMetricData to the Restyled namespace and scaling to the machines group", () => {
    const granted = statements("ops", "AutoscaleRole");
    const metric = granted.find((s) => actionsOf(s).includes("cloudwatch:PutMetricData"));
    expect(metric?.Condition).toEqual({ StringEquals: { "cloudwatch:namespace": "Restyled" } });
    const scale = granted.find((s) => actionsOf(s).includes("autoscaling:SetDesiredCapacity"));
    expect(actionsOf(scale!)).toContain("autoscaling:CreateOrUpdateTags");
    expect(JSON.stringify(scale?.Resource)).toContain(`autoScalingGroupName/${"$"}{Group}`);
  });

  it("lets autoscale read the warm pool, a Describe call on every resource as IAM requires", () => {
    const granted = statements("ops", "AutoscaleRole");
    const reads = granted.filter((s) => actionsOf(s).includes("autoscaling:DescribeWarmPool"));
    expect(reads).toHaveLength(1);
    expect(reads[0]?.Resource).toBe("*");
    expect(actionsOf(reads[0]!).every((a) => a.startsWith("autoscaling:Describe"))).toBe(true);
  });

  it("schedules both functions and alarms on their errors", () => {
    for (const name of ["Autoscale", "CheckRedisUrl"]) {
      expect(plain(property("ops", `${name}ScheduleRule`, "Targets"))).toEqual([
        expect.objectContaining({ Arn: { "Fn::GetAtt": `${name}Function.Arn` } }),
      ]);
      expect(plain(property("ops", `${name}ErrorsAlarm`, "MetricName"))).toBe("Errors");
    }
  });
});

describe("Lambda functions", () => {
  it("all run the one LAMBDA_NODE_RUNTIME with the index.handler of a zip built by their package", () => {
    const expected = new Map([
      ["ops", ["@restyled/autoscale", "@restyled/check-redis-url"]],
      ["services", ["@restyled/logdna-cloudwatch"]],
    ]);
    for (const [stack, packages] of expected) {
      const template = templates.get(stack)!;
      expect(lambdaCodeOf(template).map((c) => c.packageName)).toEqual(packages);
      for (const { key, value } of sectionOf(template, "Resources")!.entries) {
        if (value.kind !== "map" || stringOf(fieldOf(value, "Type")) !== "AWS::Lambda::Function")
          continue;
        expect(plain(property(stack, key, "Runtime"))).toBe(LAMBDA_NODE_RUNTIME);
        expect(plain(property(stack, key, "Handler"))).toBe("index.handler");
        expect(plain(property(stack, key, "Code.S3Bucket"))).toEqual({ Ref: "CodeBucket" });
      }
    }
  });
});

describe("Lambda roles", () => {
  // A Lambda reads the SSM parameters its package reads and no other: the
  // shared read-everything policy would hand the GitHub App key and the
  // database URL to the log forwarder, for one.
  const cases: Array<[string, string, string[]]> = [
    ["ops", "AutoscaleRole", ["redis-url", "restyled-api-token"]],
    ["ops", "CheckRedisUrlRole", ["heroku-api-key", "redis-url", "database-url"]],
    ["services", "LogForwarderRole", ["logdna-key"]],
  ];
  it.each(cases)("%s %s reads only %j", (stack, role, names) => {
    const managed = JSON.stringify(plain(property(stack, role, "ManagedPolicyArns")));
    expect(managed).not.toContain("ReadParametersPolicyArn");
    const granted = statements(stack, role);
    const reads = granted.filter((s) => actionsOf(s).some((a) => a.startsWith("ssm:Get")));
    expect(reads.flatMap(actionsOf)).toEqual(["ssm:GetParameter"]);
    const resources = reads.flatMap((s) => [s.Resource].flat()) as Array<{ "Fn::Sub": string }>;
    expect(
      resources.map((r) => r["Fn::Sub"].replace(/.*:parameter\/restyled\/\$\{Environment\}\//, "")),
    ).toEqual(names);
    const decrypt = granted.find((s) => actionsOf(s).includes("kms:Decrypt"));
    expect(JSON.stringify(decrypt?.Condition)).toContain("kms:ViaService");
  });
});

describe("services", () => {
  it("names the log groups restyled/{env}/{app} and subscribes the forwarder to each", () => {
    const resources = sectionOf(templates.get("services")!, "Resources")!.entries;
    const groups = resources.filter(
      (r) => r.key.endsWith("LogGroup") && r.key !== "LogForwarderLogGroup",
    );
    expect(groups.map((g) => plain(property("services", g.key, "LogGroupName")))).toEqual([
      { "Fn::Sub": `restyled/${ENV}/webhooks` },
      { "Fn::Sub": `restyled/${ENV}/health` },
      { "Fn::Sub": `restyled/${ENV}/reconcile` },
      { "Fn::Sub": `restyled/${ENV}/sync-marketplace` },
    ]);
    const filters = resources.filter(
      (r) =>
        r.value.kind === "map" &&
        stringOf(fieldOf(r.value, "Type")) === "AWS::Logs::SubscriptionFilter",
    );
    expect(filters.map((f) => plain(property("services", f.key, "LogGroupName")))).toEqual(
      groups.map((g) => ({ Ref: g.key })),
    );
    expect(plain(property("services", "LogForwarderPermission", "Principal"))).toBe(
      "logs.amazonaws.com",
    );
  });

  it("reads the apps' secrets from SSM through the task execution role", () => {
    const secrets = plain(
      property("services", "WebhooksTaskDefinition", "ContainerDefinitions"),
    ) as Array<{
      Secrets: Array<{ Name: string }>;
    }>;
    expect(secrets[0]?.Secrets.map((s) => s.Name)).toEqual([
      "DATABASE_URL",
      "REDIS_URL",
      "GITHUB_APP_ID",
      "GITHUB_APP_KEY",
      "GITHUB_RATE_LIMIT_TOKEN",
    ]);
  });
});
