export const RUN_HELP = `restyled-autoscale: size the Restyle Machines group (and the Webhooks service) from the job queue

Usage:
  restyled-autoscale [--once | --interval 30s] [--dry-run] [options]
  restyled-autoscale simulate [--trace FILE] [--svg FILE] [options]   (see simulate --help)
  restyled-autoscale generate-trace [--days 3] [--seed 1] [--out FILE] (see generate-trace --help)

Each run prints its decision record as one JSON line on stdout; logs go to stderr.

Options (each falls back to the environment variable in brackets):
  --env NAME                   restyled environment, for SSM names and metrics [RESTYLED_ENV] (required)
  --group NAME                 the machines Auto Scaling group [MACHINES_GROUP_NAME] (required)
  --redis-url URL              redis:// or rediss:// [REDIS_URL]; else SSM /restyled/{env}/redis-url
                               (prefer the variable: a flag shows in the process list)
  --redis-insecure-tls         do not verify a rediss:// certificate (Heroku's are self-signed) [REDIS_TLS_INSECURE=1]
  --queues LIST                name[/weight],... [RESTYLER_QUEUES] (default restyled:hooks:webhooks)
  --restyled-url URL           restyled.io, to count running jobs [RESTYLED_URL]; token from
                               RESTYLED_API_TOKEN, else SSM /restyled/{env}/restyled-api-token
  --webhooks-cluster NAME      ECS cluster of the Webhooks service [WEBHOOKS_CLUSTER]
  --webhooks-service NAME      the Webhooks service, scaled in step [WEBHOOKS_SERVICE]
  --jobs-per-machine N         concurrent jobs per machine [JOBS_PER_MACHINE] (default 3)
  --tasks-per-machine N        Webhooks tasks per machine [TASKS_PER_MACHINE] (default: jobs per machine)
  --scale-in-stabilization D   how long demand must stay low before scaling in [SCALE_IN_STABILIZATION] (default 10m)
  --boot-delay D               a new machine's launch to taking jobs [BOOT_DELAY] (default 3m); queued jobs the
                               machines in service start within it add no machine; 0 sizes for every job at once
  --expected-job-duration D    a typical job, to count the jobs a machine starts during a boot
                               [EXPECTED_JOB_DURATION] (default 1m, at least 1s)
  --boot-grace D               an instance in service this long after launch must have an enabled machine,
                               else it is marked Unhealthy and replaced [BOOT_GRACE] (default 10m)
  --disabled-grace D           a machine disabled this long on an in-service instance gets it replaced
                               [DISABLED_GRACE] (default 5m)
  --drain-timeout D            the agent's drain timeout [DRAIN_TIMEOUT] (default 15m)
  --terminate-grace D          after drain timeout + this, a waiting termination whose agent is gone is
                               completed [TERMINATE_GRACE] (default 5m)
  --launch-timeout D           a launch not in service after this is reported stuck, with the
                               StuckLaunches metric [LAUNCH_TIMEOUT] (default 15m)
  --region REGION              AWS region [AWS_REGION]
  --once                       run once and exit (the default)
  --interval D                 run every D (like 30s) until SIGINT/SIGTERM
  --dry-run                    decide and explain, change nothing (no scaling, no tags, no metric)
  -h, --help                   this help
  -v, --version                print the version

Exit codes: 0 done, 1 the run failed (no scaling action was taken), 64 bad usage, 78 bad configuration.
`;

export const SIMULATE_HELP = `restyled-autoscale simulate: replay a queue trace against this policy and the anchors

Replays the same jobs on the same system against this tool's policy, the original (2020) thresholds,
AWS target tracking on backlog per instance, and a KEDA/HPA-style ceil((queued + running) / 3) with a
5-minute scale-down window; then the original again as deployed, with 2 Webhooks tasks per machine.

Usage:
  restyled-autoscale simulate [--trace FILE] [options]

Options:
  --trace FILE                 CSV "timestamp,arrivals" (default: the shipped synthetic trace)
  --job-duration SPEC          fixed:60s, uniform:20s:2m or lognormal:MEDIAN:P95 (default lognormal:45s:3m)
  --boot-delay D               launch to taking jobs (default 3m); this policy is told the same
  --expected-job-duration D    what this policy assumes of a job (default 1m, at least 1s)
  --interval D                 how often the autoscaler runs (default 1m, whole 5s steps)
  --jobs-per-machine N         (default 3)
  --tasks-per-machine N        Webhooks tasks per machine, for every policy (default: jobs per machine)
  --min N, --max N             group limits for every policy (default 1 and 12)
  --scale-in-stabilization D   this policy's window (default 3m)
  --seed N                     job arrival and duration sampling, dead agents (default 1)
  --svg FILE                   write a chart of waiting jobs, desired and in-service machines per policy
  --json                       print the figures as JSON instead of a table
  -h, --help                   this help

Exit codes: 0 done, 64 bad usage, an unwritable --svg, or a bad trace row (the message names the row).
`;

export const GENERATE_HELP = `restyled-autoscale generate-trace: write a synthetic queue trace (quiet hours, busy days, bursts)

Usage:
  restyled-autoscale generate-trace [--days 3] [--seed 1] [--out FILE]

Options:
  --days N              days to generate, from Monday 2026-01-05 (default 3)
  --start TIME          first row, ISO 8601 (default 2026-01-05T00:00:00Z)
  --seed N              random seed (default 1)
  --busy-rate R         mean jobs per minute in working hours (default 2)
  --quiet-rate R        mean jobs per minute at night (default 0.3)
  --bursts-per-day N    mean bursts of 20-120 jobs per working day (default 6)
  --out FILE            write there instead of stdout
  -h, --help            this help

Exit codes: 0 done, 64 bad usage.
`;
