import {
  defineOptions,
  duration,
  environmentName,
  formatHelp,
  httpsUrl,
  integer,
  type Parser,
  path,
} from "@restyled/core/options";

/** A parser of the agent's own, in the shape option tables take. */
function parser<T>(metavar: string, parse: (text: string) => T): Parser<T> {
  return Object.assign((text: string) => parse(text), { metavar });
}

/** A duration longer than zero. */
const positiveDuration: Parser<number> = Object.assign(
  (text: string) => {
    const ms = duration(text);
    if (ms <= 0) throw new Error("must be longer than 0");
    return ms;
  },
  { metavar: duration.metavar, hint: duration.hint },
);

/** CloudWatch Logs' rule for group names. */
const logGroupName = parser("NAME", (text) => {
  if (!/^[.\-_/#A-Za-z0-9]{1,512}$/.test(text)) {
    throw new Error(`"${text}" is not a log group name (letters, digits, . - _ / #)`);
  }
  return text;
});

const dockerHost = parser("tcp://HOST:PORT", (text) => {
  const match = /^tcp:\/\/([^:/]+):(\d+)$/.exec(text.trim());
  const port = Number(match?.[2]);
  if (!match || port < 1 || port > 65535) {
    throw new Error(
      `"${text.slice(0, 80)}" must be tcp://HOST:PORT (the daemon's mutual-TLS endpoint)`,
    );
  }
  return text.trim();
});

const instanceId = parser("ID", (text) => {
  if (!/^i-[0-9a-f]{8,17}$/.test(text)) {
    throw new Error(`"${text.slice(0, 40)}" is not an EC2 instance id (i-0123abcd...)`);
  }
  return text;
});

const hostname = parser("HOST", (text) => {
  if (
    !/^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(text)
  ) {
    throw new Error(`"${text.slice(0, 80)}" is not a host name`);
  }
  return text;
});

const region = parser("REGION", (text) => {
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(text)) {
    throw new Error(`"${text.slice(0, 40)}" is not an AWS region`);
  }
  return text;
});

/**
 * The agent's options: flag, environment variable, default and parser, one
 * row each; parsing, validation and `--help` come from this table.
 */
export const OPTIONS = defineOptions([
  {
    key: "env",
    flag: "env",
    env: "RESTYLED_ENV",
    parse: environmentName,
    required: true,
    description: "Environment name: machine names, SSM parameter paths (e.g. prod)",
  },
  {
    key: "queueUrl",
    flag: "queue-url",
    env: "AGENT_QUEUE_URL",
    parse: httpsUrl,
    description:
      "SQS queue of the lifecycle hooks; without it, register at once and serve until SIGTERM",
  },
  {
    key: "certPath",
    flag: "cert-path",
    env: "DOCKER_CERT_PATH",
    parse: path,
    default: "/etc/docker/certs/client",
    description: "Folder with the client ca.pem, cert.pem, key.pem (sent to restyled.io)",
  },
  {
    key: "dockerHost",
    flag: "docker-host",
    env: "DOCKER_HOST",
    parse: dockerHost,
    description:
      "The daemon's mutual-TLS endpoint, as the Webhooks service reaches it (default tcp://{public-hostname}:2376)",
  },
  {
    key: "restyledUrl",
    flag: "restyled-url",
    env: "RESTYLED_URL",
    parse: httpsUrl,
    default: "https://restyled.io",
    description: "restyled.io base URL (https; plain http only on loopback)",
  },
  {
    key: "restyledToken",
    env: "RESTYLED_API_TOKEN",
    parse: parser("TOKEN", (text) => text),
    secret: true,
    description:
      "restyled.io admin API token (never a flag: flags show in ps); default SSM /restyled/{env}/restyled-api-token",
  },
  {
    key: "drainTimeoutMs",
    flag: "drain-timeout",
    env: "DRAIN_TIMEOUT",
    parse: positiveDuration,
    default: "15m",
    description: "Longest wait for in-flight jobs when terminating",
  },
  {
    key: "drainSettleMs",
    flag: "drain-settle",
    env: "DRAIN_SETTLE",
    parse: duration,
    default: "5s",
    description:
      "How long Docker and restyled.io must both show no job before a drain ends (0: at once)",
  },
  {
    key: "heartbeatIntervalMs",
    flag: "heartbeat-interval",
    env: "HEARTBEAT_INTERVAL",
    parse: positiveDuration,
    description:
      "RecordLifecycleActionHeartbeat interval (default a third of the hook's HeartbeatTimeout)",
  },
  {
    key: "instanceId",
    flag: "instance-id",
    parse: instanceId,
    description: "This instance's id (default from IMDSv2)",
  },
  {
    key: "publicHostname",
    flag: "public-hostname",
    parse: hostname,
    description: "This instance's public DNS name (default from IMDSv2)",
  },
  {
    key: "region",
    flag: "region",
    env: "AWS_REGION",
    parse: region,
    description: "AWS region of the queue, the group and SSM (default from IMDSv2)",
  },
  {
    key: "relistIntervalMs",
    flag: "relist-interval",
    env: "RELIST_INTERVAL",
    parse: positiveDuration,
    default: "30s",
    description:
      "Safety-net re-list of containers while draining (the drain follows Docker events)",
  },
  {
    key: "daemonCheckIntervalMs",
    flag: "daemon-check-interval",
    env: "DAEMON_CHECK_INTERVAL",
    parse: positiveDuration,
    default: "15s",
    description: "How often the daemon is checked while in service",
  },
  {
    key: "retryDelayMs",
    flag: "retry-delay",
    env: "RETRY_DELAY",
    parse: duration,
    default: "1s",
    description:
      "First backoff delay of retried restyled.io and Docker calls (doubles, capped at 30s)",
  },
  {
    key: "retryAttempts",
    flag: "retry-attempts",
    env: "RETRY_ATTEMPTS",
    parse: integer({ min: 1, max: 100 }),
    default: "5",
    description: "Attempts for each restyled.io and Docker call before giving up",
  },
  {
    key: "completionTimeoutMs",
    flag: "completion-timeout",
    env: "COMPLETION_TIMEOUT",
    parse: positiveDuration,
    default: "2m",
    description: "Deadline for CompleteLifecycleAction (the AWS SDK retries until then)",
  },
  {
    key: "pruneIntervalMs",
    flag: "prune-interval",
    env: "PRUNE_INTERVAL",
    parse: duration,
    default: "24h",
    description: "Housekeeping schedule (0 turns it off)",
  },
  {
    key: "tempMaxAgeMs",
    flag: "temp-max-age",
    env: "TEMP_MAX_AGE",
    parse: positiveDuration,
    default: "12h",
    description: "Age past which restyler-* folders in the temp directory are removed",
  },
  {
    key: "tempDir",
    flag: "temp-dir",
    env: "TMPDIR",
    parse: path,
    description:
      "Where restylers leave their restyler-* folders (default the system temp directory)",
  },
  {
    key: "logGroup",
    flag: "log-group",
    env: "AGENT_LOG_GROUP",
    parse: logGroupName,
    description:
      "CloudWatch Logs group the agent also ships its own lines to, one stream per instance id (the machines stack sets restyled/{env}/machines); unset: stderr only",
  },
  {
    key: "logFlushTimeoutMs",
    flag: "log-flush-timeout",
    env: "AGENT_LOG_FLUSH_TIMEOUT",
    parse: positiveDuration,
    default: "5s",
    description:
      "How long the agent waits for its buffered lines to ship before it completes an action",
  },
] as const);

/** The `--help` text. */
export function helpText(): string {
  return formatHelp(OPTIONS, {
    usage: "restyled-agent [options]",
    description:
      "Answers the Auto Scaling lifecycle hooks of this Restyle Machine: registers it with\nrestyled.io on launch, drains and de-registers it before it terminates.",
    footer: [
      "Environment: LOG_LEVEL (debug|info|warn|error), AWS_EC2_METADATA_SERVICE_ENDPOINT.",
      "Exit codes: 0 stopped cleanly, 1 error (a failed launch without a queue, a lifecycle",
      "action not completed or expired), 64 bad usage, 69 a dependency unreachable at start,",
      "78 bad configuration.",
    ].join("\n"),
  });
}
