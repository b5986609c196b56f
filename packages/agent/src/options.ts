/**
 * The agent's flags, their environment fallbacks and defaults: one table that
 * drives parsing, validation and `--help`.
 */
export interface OptionSpec {
  flag: string;
  env?: string;
  default?: string;
  description: string;
  kind: "string" | "duration" | "integer";
}

export const OPTION_SPECS = {
  env: {
    flag: "env",
    env: "RESTYLED_ENV",
    kind: "string",
    description: "Environment name (required), e.g. prod",
  },
  queueUrl: {
    flag: "queue-url",
    env: "AGENT_QUEUE_URL",
    kind: "string",
    description:
      "SQS queue of the lifecycle hooks; without it, register at once and serve until SIGTERM",
  },
  certPath: {
    flag: "cert-path",
    env: "DOCKER_CERT_PATH",
    default: "/etc/docker/certs/client",
    kind: "string",
    description: "Folder with the client ca.pem, cert.pem, key.pem (sent to restyled.io)",
  },
  dockerHost: {
    flag: "docker-host",
    env: "DOCKER_HOST",
    default: "tcp://{public-hostname}:2376",
    kind: "string",
    description: "The daemon's mutual-TLS endpoint, as the Webhooks service will reach it",
  },
  restyledUrl: {
    flag: "restyled-url",
    env: "RESTYLED_URL",
    default: "https://restyled.io",
    kind: "string",
    description:
      "restyled.io base URL (token from RESTYLED_API_TOKEN or SSM /restyled/{env}/restyled-api-token)",
  },
  drainTimeout: {
    flag: "drain-timeout",
    env: "DRAIN_TIMEOUT",
    default: "15m",
    kind: "duration",
    description: "Longest wait for running restyler containers when terminating",
  },
  heartbeatInterval: {
    flag: "heartbeat-interval",
    env: "HEARTBEAT_INTERVAL",
    default: "a third of the hook's HeartbeatTimeout",
    kind: "duration",
    description: "How often to send RecordLifecycleActionHeartbeat while an action is pending",
  },
  instanceId: {
    flag: "instance-id",
    default: "from IMDSv2",
    kind: "string",
    description: "This instance's id",
  },
  publicHostname: {
    flag: "public-hostname",
    default: "from IMDSv2",
    kind: "string",
    description: "This instance's public DNS name",
  },
  region: {
    flag: "region",
    env: "AWS_REGION",
    default: "from IMDSv2",
    kind: "string",
    description: "AWS region of the queue, the group and SSM",
  },
  relistInterval: {
    flag: "relist-interval",
    env: "RELIST_INTERVAL",
    default: "30s",
    kind: "duration",
    description:
      "Safety-net re-list of containers while draining (the drain follows Docker events)",
  },
  daemonCheckInterval: {
    flag: "daemon-check-interval",
    env: "DAEMON_CHECK_INTERVAL",
    default: "15s",
    kind: "duration",
    description: "How often the daemon is checked while in service",
  },
  retryDelay: {
    flag: "retry-delay",
    env: "RETRY_DELAY",
    default: "1s",
    kind: "duration",
    description: "First backoff delay of retried calls (doubles, capped at 30s)",
  },
  retryAttempts: {
    flag: "retry-attempts",
    env: "RETRY_ATTEMPTS",
    default: "5",
    kind: "integer",
    description: "Attempts for each restyled.io and Docker call before giving up",
  },
  completionTimeout: {
    flag: "completion-timeout",
    env: "COMPLETION_TIMEOUT",
    default: "2m",
    kind: "duration",
    description: "Deadline for sending CompleteLifecycleAction (retried until then)",
  },
  pruneInterval: {
    flag: "prune-interval",
    env: "PRUNE_INTERVAL",
    default: "24h",
    kind: "duration",
    description: "Housekeeping schedule (0 turns it off)",
  },
  tempMaxAge: {
    flag: "temp-max-age",
    env: "TEMP_MAX_AGE",
    default: "12h",
    kind: "duration",
    description: "Age past which restyler-* folders in the temp directory are removed",
  },
  tempDir: {
    flag: "temp-dir",
    env: "TMPDIR",
    default: "the system temp directory",
    kind: "string",
    description: "Where restylers leave their restyler-* folders",
  },
  logGroup: {
    flag: "log-group",
    env: "AGENT_LOG_GROUP",
    kind: "string",
    description:
      "CloudWatch Logs group the agent also ships its own lines to, one stream per instance id (the machines stack sets restyled/{env}/machines); unset: stderr only",
  },
  logFlushTimeout: {
    flag: "log-flush-timeout",
    env: "AGENT_LOG_FLUSH_TIMEOUT",
    default: "5s",
    kind: "duration",
    description:
      "How long the agent waits for its buffered lines to ship before it completes an action",
  },
} satisfies Record<string, OptionSpec>;

export type OptionName = keyof typeof OPTION_SPECS;

/** The `--help` text. */
export function helpText(): string {
  const rows = Object.values(OPTION_SPECS).map((spec: OptionSpec) => {
    const left = `  --${spec.flag} ${spec.kind === "duration" ? "DURATION" : spec.kind === "integer" ? "N" : "VALUE"}`;
    const env = spec.env ? ` [${spec.env}]` : "";
    const def = spec.default ? ` (default: ${spec.default})` : "";
    return `${left.padEnd(38)}${spec.description}${env}${def}`;
  });
  return [
    "Usage: restyled-agent [options]",
    "",
    "Answers the Auto Scaling lifecycle hooks of this Restyle Machine: registers it with",
    "restyled.io on launch, drains and de-registers it before it terminates.",
    "",
    "Options:",
    ...rows,
    `${"  -h, --help".padEnd(38)}Show this help`,
    "",
    "Durations: 500ms, 30s, 15m, 1h30m, or a number of seconds.",
    "Environment: RESTYLED_API_TOKEN (else SSM), LOG_LEVEL (debug|info|warn|error).",
    "Exit codes: 0 stopped cleanly, 1 error, 64 bad usage, 78 bad configuration.",
  ].join("\n");
}
