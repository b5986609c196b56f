// The CLI's one option table: parsing, validation and --help come from it.
import {
  boolean,
  defineOptions,
  duration,
  environmentName,
  formatHelp,
  string,
} from "@restyled/core/options";
import { DEFAULT_FILTER_NAME } from "./subscribe.js";

export const OPTIONS = defineOptions([
  {
    key: "prefix",
    flag: "prefix",
    parse: string,
    description: "subscribe: log group name prefix, e.g. restyled/prod/",
  },
  {
    key: "functionArn",
    flag: "function",
    parse: string,
    description: "subscribe: the forwarder Lambda's ARN",
  },
  {
    key: "filterName",
    flag: "filter-name",
    parse: string,
    default: DEFAULT_FILTER_NAME,
    description: "subscribe: subscription filter name",
  },
  {
    key: "logGroup",
    flag: "log-group",
    parse: string,
    description: "backfill: the log group to backfill",
  },
  {
    key: "since",
    flag: "since",
    parse: string,
    description: "backfill: start, a duration ago (1h, 2d) or an ISO time",
  },
  { key: "until", flag: "until", parse: string, description: "backfill: end (default now)" },
  {
    key: "filterPattern",
    flag: "filter-pattern",
    parse: string,
    description: "backfill: only matching events (default: as subscribe would set)",
  },
  {
    key: "queueUrl",
    flag: "queue-url",
    parse: string,
    description: "redrive: the forwarder's failure queue (services stack output)",
  },
  {
    key: "timeout",
    flag: "timeout",
    parse: duration,
    default: "2m",
    description: "redrive: how long to keep trying each event",
  },
  {
    key: "env",
    flag: "env",
    env: "RESTYLED_ENV",
    parse: environmentName,
    description: "backfill, redrive: environment for lines and the SSM key",
  },
  {
    key: "region",
    flag: "region",
    parse: string,
    description: "AWS region (default: the SDK's, AWS_REGION)",
  },
  {
    key: "dryRun",
    flag: "dry-run",
    parse: boolean,
    default: "false",
    description: "show what would change or be sent; change and send nothing",
  },
  {
    key: "json",
    flag: "json",
    parse: boolean,
    default: "false",
    description: "print the result as JSON",
  },
] as const);

export function helpText(): string {
  return formatHelp(OPTIONS, {
    usage: [
      "logdna-cloudwatch subscribe --prefix PREFIX --function ARN [--filter-name NAME] [--dry-run] [--json]",
      "logdna-cloudwatch backfill --log-group GROUP --since WHEN [--until WHEN] [--env ENV] [--dry-run] [--json]",
      "logdna-cloudwatch redrive --queue-url URL [--timeout DURATION] [--env ENV] [--dry-run] [--json]",
    ],
    description: [
      "Forwards CloudWatch Logs to LogDNA (Mezmo).",
      "",
      "subscribe  puts a subscription filter to the forwarder function on every log group",
      "           whose name starts with PREFIX (never on the forwarder's own group;",
      "           Lambda groups get a filter dropping START/END/REPORT lines)",
      "backfill   reads a log group's past events (FilterLogEvents) and forwards them",
      "redrive    replays the events the forwarder failed to deliver, from its failure",
      "           queue, deleting each message only once delivered",
    ].join("\n"),
    footer: [
      "Environment: LOGDNA_KEY (else SSM /restyled/{env}/logdna-key), LOGDNA_HOSTNAME,",
      "LOGDNA_TAGS, LOGDNA_INGEST_URL, LOGDNA_MAX_REQUEST_BYTES, AWS_REGION, LOG_LEVEL.",
      "Exit codes: 0 done, 1 failed, 64 bad usage, 69 AWS unavailable, 78 bad configuration.",
    ].join("\n"),
  });
}
