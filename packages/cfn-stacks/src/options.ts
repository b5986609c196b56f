import {
  boolean,
  defineOptions,
  duration,
  environmentName,
  formatHelp,
  path,
  string,
} from "@restyled/core/options";

/** Every flag, its variable and default: parsing and --help come from this one table. */
export const OPTIONS = defineOptions([
  {
    key: "env",
    flag: "env",
    short: "e",
    env: "RESTYLED_ENV",
    parse: environmentName,
    description: "environment, e.g. prod; required by all but validate",
  },
  {
    key: "param",
    flag: "param",
    short: "p",
    parse: string,
    multiple: true,
    description:
      "KEY=VALUE: a template parameter; wins over the parameter file. Parameters not given keep their previous values on an existing stack",
  },
  {
    key: "paramsFile",
    flag: "params-file",
    env: "RESTYLED_PARAMS_FILE",
    parse: path,
    description:
      'the environment\'s parameter values, {"STACK": {"KEY": "VALUE"}} (default: params/ENV.json next to the templates, when it exists)',
  },
  {
    key: "all",
    flag: "all",
    parse: boolean,
    default: "false",
    description: "deploy: every stack, in the order their imports need",
  },
  {
    key: "codeBucket",
    flag: "code-bucket",
    env: "RESTYLED_CODE_BUCKET",
    parse: string,
    description: "S3 bucket for Lambda code (default: the stack's current CodeBucket)",
  },
  {
    key: "skipBuild",
    flag: "skip-build",
    parse: boolean,
    default: "false",
    description: "use the Lambda zips already built instead of building them",
  },
  {
    key: "yes",
    flag: "yes",
    short: "y",
    parse: boolean,
    default: "false",
    description: "deploy or delete without asking",
  },
  {
    key: "dryRun",
    flag: "dry-run",
    parse: boolean,
    default: "false",
    description: "deploy: show the change set and stop (same as diff); delete: only list",
  },
  { key: "json", flag: "json", parse: boolean, default: "false", description: "outputs: JSON" },
  {
    key: "region",
    flag: "region",
    env: "AWS_REGION",
    parse: string,
    description: "AWS region (also AWS_DEFAULT_REGION)",
  },
  {
    key: "requestTimeout",
    flag: "request-timeout",
    parse: duration,
    default: "30s",
    description: "give up on an AWS request not answered within this (the SDK retries twice)",
  },
  {
    key: "stacksDir",
    flag: "stacks-dir",
    parse: path,
    description:
      "the templates (default: stacks/ of the enclosing workspace, else the ones this package ships)",
  },
]);

export const HELP = formatHelp(OPTIONS, {
  usage: [
    "restyled-stacks validate [STACK...]",
    "restyled-stacks diff STACK --env ENV [--param KEY=VALUE...]",
    "restyled-stacks deploy STACK --env ENV [--param KEY=VALUE...] [--yes] [--dry-run]",
    "restyled-stacks deploy --all --env ENV [--param KEY=VALUE...] [--yes] [--dry-run]",
    "restyled-stacks outputs STACK --env ENV [--json]",
    "restyled-stacks delete STACK --env ENV [--yes] [--dry-run]",
  ],
  description:
    "Validate, preview and deploy the Restyled CloudFormation stacks. Stacks are the templates in stacks/ (vpc, iam, services, machines, ops), deployed as restyled-ENV-STACK; deploy --all deploys them in the order their imports need, stopping at the first failure.",
  footer: [
    "Exit codes: 0 done (or no changes), 1 failed or cancelled, 64 bad usage,",
    "69 AWS unreachable or not answering, 78 missing configuration, 130 interrupted",
    "(Ctrl-C or SIGTERM: a change set not yet executed is deleted first).",
    "LOG_LEVEL=debug shows stack traces.",
  ].join("\n"),
});
