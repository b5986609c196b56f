import { formatHelp } from "@restyled/core/options";
import { GENERATE_OPTIONS, SIMULATE_OPTIONS } from "./cli-simulate.js";
import { RUN_OPTIONS } from "./config.js";

// Generated from the option tables, so help and parsing cannot disagree.
export const RUN_HELP = formatHelp(RUN_OPTIONS, {
  usage: [
    "restyled-autoscale [--once | --interval 30s] [--dry-run] [options]",
    "restyled-autoscale simulate [--trace FILE] [--svg FILE] [options]   (see simulate --help)",
    "restyled-autoscale generate-trace [--days 3] [--seed 1] [--out FILE] (see generate-trace --help)",
  ],
  description:
    "Sizes the Restyle Machines group (and the Webhooks service) from the job queue, after repairing the fleet (dead agents, ghost machines, abandoned terminations, stuck launches). Each run prints its decision record as one JSON line on stdout; logs go to stderr. Exit codes: 0 done, 1 the run failed (no action was taken), 64 bad usage, 78 bad configuration.",
});

export const SIMULATE_HELP = formatHelp(SIMULATE_OPTIONS, {
  usage: "restyled-autoscale simulate [--trace FILE] [options]",
  description:
    "Replays the same jobs on the same system (the same Webhooks tasks per machine for every policy) against this tool's policy, the original (2020) thresholds, AWS target tracking on backlog per instance, and KEDA/HPA-style ceil((queued + running) / 3) with a 5-minute scale-down window; then the original as deployed, with 2 tasks per machine. Exit codes: 0 done, 64 bad usage, an unwritable --svg, or a bad trace row (the message names the row).",
});

export const GENERATE_HELP = formatHelp(GENERATE_OPTIONS, {
  usage: "restyled-autoscale generate-trace [--days 3] [--seed 1] [--out FILE]",
  description:
    "Writes a synthetic queue trace: quiet nights, busy days, bursts. Exit codes: 0 done, 64 bad usage.",
});
