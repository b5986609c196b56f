// The one module that loads the SSM client. The Lambda bundle builds it as a
// file of its own (ssm-client.mjs), imported on the first key read, so the
// handler module stays small to load: see tsup.config.ts and bench/cold-start.
export { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
