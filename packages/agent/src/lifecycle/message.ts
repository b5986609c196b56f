/** The lifecycle notification shapes the queue can carry, parsed into one type. */

export type Transition = "launching" | "terminating";

/**
 * Where an instance comes from or goes to. AWS's warm pool documentation
 * ("Warm pool example events and patterns") lists exactly these values of
 * `Origin` and `Destination`: EC2 | AutoScalingGroup | WarmPool.
 */
export type LifecycleEndpoint = "EC2" | "AutoScalingGroup" | "WarmPool";

const ENDPOINTS: readonly LifecycleEndpoint[] = ["EC2", "AutoScalingGroup", "WarmPool"];

/** A pending lifecycle action of one instance. */
export interface LifecycleAction {
  transition: Transition;
  hookName: string;
  groupName: string;
  instanceId: string;
  token: string;
  /** `Origin`, when the notification has one (no warm pool involved: maybe none). */
  origin?: LifecycleEndpoint;
  /** `Destination`, likewise: "WarmPool" when the instance enters the warm pool. */
  destination?: LifecycleEndpoint;
}

export type ParsedMessage =
  | { kind: "action"; action: LifecycleAction; format: "direct" | "sns" | "eventbridge" }
  | { kind: "test"; groupName: string | undefined }
  | {
      kind: "invalid";
      reason: string;
      excerpt: string;
      /** The instance the message names, when it names one: its action will time out. */
      instanceId?: string;
    };

const TRANSITIONS: Record<string, Transition> = {
  "autoscaling:EC2_INSTANCE_LAUNCHING": "launching",
  "autoscaling:EC2_INSTANCE_TERMINATING": "terminating",
};

const EVENTBRIDGE_TYPES: Record<string, Transition> = {
  "EC2 Instance-launch Lifecycle Action": "launching",
  "EC2 Instance-terminate Lifecycle Action": "terminating",
};

/**
 * Parses an SQS message body: a direct Auto Scaling notification, the same
 * wrapped in an SNS envelope, or an EventBridge lifecycle event.
 */
export function parseLifecycleMessage(body: string | undefined): ParsedMessage {
  const text = body ?? "";
  const invalid = (reason: string, from?: Record<string, unknown>): ParsedMessage => {
    const instanceId = stringOr(from?.EC2InstanceId);
    return { kind: "invalid", reason, excerpt: excerptOf(text), ...(instanceId && { instanceId }) };
  };
  const json = parseObject(text);
  if (!json) return invalid("not a JSON object");

  if (json.Type === "Notification" && typeof json.Message === "string") {
    const inner = parseObject(json.Message);
    if (!inner) return invalid("SNS envelope whose Message is not a JSON object");
    const parsed = parseDirect(inner);
    return typeof parsed === "string"
      ? invalid(`SNS envelope: ${parsed}`, inner)
      : withFormat(parsed, "sns");
  }
  if (json.source === "aws.autoscaling" && typeof json["detail-type"] === "string") {
    const expected = EVENTBRIDGE_TYPES[json["detail-type"]];
    if (!expected)
      return invalid(`EventBridge event "${json["detail-type"]}" is not a lifecycle action`);
    const detail = json.detail;
    if (!detail || typeof detail !== "object") return invalid("EventBridge event without detail");
    const parsed = parseDirect(detail as Record<string, unknown>);
    return typeof parsed === "string"
      ? invalid(`EventBridge event: ${parsed}`, detail as Record<string, unknown>)
      : withFormat(parsed, "eventbridge");
  }
  const parsed = parseDirect(json);
  return typeof parsed === "string" ? invalid(parsed, json) : withFormat(parsed, "direct");
}

type Direct =
  | { kind: "action"; action: LifecycleAction }
  | { kind: "test"; groupName: string | undefined };

function withFormat(parsed: Direct, format: "direct" | "sns" | "eventbridge"): ParsedMessage {
  return parsed.kind === "action" ? { ...parsed, format } : parsed;
}

function parseDirect(json: Record<string, unknown>): Direct | string {
  if (json.Event === "autoscaling:TEST_NOTIFICATION") {
    return { kind: "test", groupName: stringOr(json.AutoScalingGroupName) };
  }
  if (typeof json.Event === "string") return `event "${json.Event}" is not a lifecycle action`;
  const transitionName = json.LifecycleTransition;
  if (typeof transitionName !== "string") return "no LifecycleTransition";
  const transition = TRANSITIONS[transitionName];
  if (!transition) return `unknown LifecycleTransition "${transitionName}"`;
  const fields = {
    hookName: json.LifecycleHookName,
    groupName: json.AutoScalingGroupName,
    instanceId: json.EC2InstanceId,
    token: json.LifecycleActionToken,
  };
  const missing = Object.entries({
    LifecycleHookName: fields.hookName,
    AutoScalingGroupName: fields.groupName,
    EC2InstanceId: fields.instanceId,
    LifecycleActionToken: fields.token,
  })
    .filter(([, value]) => typeof value !== "string" || value === "")
    .map(([key]) => key);
  if (missing.length > 0) return `missing ${missing.join(", ")}`;
  const origin = parseEndpoint(json, "Origin");
  if (typeof origin === "object") return origin.error;
  const destination = parseEndpoint(json, "Destination");
  if (typeof destination === "object") return destination.error;
  return {
    kind: "action",
    action: {
      transition,
      hookName: fields.hookName as string,
      groupName: fields.groupName as string,
      instanceId: fields.instanceId as string,
      token: fields.token as string,
      ...(origin && { origin }),
      ...(destination && { destination }),
    },
  };
}

/**
 * An absent field is no warm pool (today's behaviour); a present one must be
 * a value AWS documents, or the message is invalid: guessing where an
 * instance goes could register a machine that is about to be stopped.
 */
function parseEndpoint(
  json: Record<string, unknown>,
  field: "Origin" | "Destination",
): LifecycleEndpoint | undefined | { error: string } {
  const value = json[field];
  if (value === undefined) return undefined;
  if (typeof value === "string" && (ENDPOINTS as readonly string[]).includes(value)) {
    return value as LifecycleEndpoint;
  }
  const shown =
    typeof value === "string"
      ? `"${value.slice(0, 40)}"`
      : String(JSON.stringify(value)).slice(0, 40);
  return { error: `unknown ${field} ${shown} (expected ${ENDPOINTS.join(", ")})` };
}

/** The instance enters the warm pool (launched into it, or returned on scale-in). */
export function entersWarmPool(action: LifecycleAction): boolean {
  return action.destination === "WarmPool";
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function stringOr(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** The first 120 characters, on one line: enough to recognise a message in a log. */
export function excerptOf(text: string): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length > 120 ? `${flat.slice(0, 120)}…` : flat;
}
