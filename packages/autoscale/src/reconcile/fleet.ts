/** One instance of the machines group, joined with what Auto Scaling's activities say about it. */
export interface FleetInstance {
  id: string;
  /** Auto Scaling's lifecycle state: Pending, Pending:Wait, InService, Terminating:Wait, … */
  lifecycleState: string;
  /** Auto Scaling's health status (false once marked Unhealthy). */
  healthy: boolean;
  /**
   * When its launch began (epoch ms), from the group's scaling activities; an
   * upper bound (the oldest activity read) when the launch is older than them;
   * null when no activity says anything (a brand-new group).
   */
  launchedAt: number | null;
  /** When its termination began (epoch ms), from the scaling activities; null if unknown. */
  terminatingSince: number | null;
}

/** A machine in restyled.io's registry, with the jobs restyled.io counts on it. */
export interface RegistryMachine {
  id: number;
  name: string;
  enabled: boolean;
  jobs: number;
}

/** What Auto Scaling's recent launch activities say went wrong, if the newest one failed. */
export interface LaunchFailure {
  at: number;
  status: string;
  message: string;
}

/** Everything a reconcile looks at, read in one run; any failed read means no snapshot. */
export interface FleetSnapshot {
  now: number;
  environment: string;
  desired: number;
  instances: FleetInstance[];
  /** null when restyled.io is not configured: machines cannot be joined then. */
  machines: RegistryMachine[] | null;
  /** The group's TERMINATING lifecycle hook, if it has one. */
  terminatingHook: string | null;
  /** Set when the newest launch activity failed or was cancelled. */
  launchFailure: LaunchFailure | null;
}

/** `restyled-{env}-{instance-id}`, the name the agent registers its machine under. */
export function machineName(environment: string, instanceId: string): string {
  return `restyled-${environment}-${instanceId}`;
}

export function isPending(state: string): boolean {
  return state.startsWith("Pending") || state === "Warmed:Pending";
}

export function isTerminating(state: string): boolean {
  return state.startsWith("Terminating") || state.startsWith("Detach");
}
