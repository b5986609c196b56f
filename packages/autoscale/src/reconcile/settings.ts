/** How long each kind of trouble may last before the reconcile acts. */
export interface ReconcileSettings {
  /** An instance in service this long after its launch must have an enabled machine. */
  bootGraceMs: number;
  /** A machine disabled this long on an in-service instance means its daemon is gone. */
  disabledGraceMs: number;
  /** The agent's drain timeout: how long a terminating machine may finish its jobs. */
  drainTimeoutMs: number;
  /** Extra time after the drain timeout before a waiting termination is completed for the agent. */
  terminateGraceMs: number;
  /** A launch not in service after this long is reported stuck. */
  launchTimeoutMs: number;
  /** Instances marked Unhealthy per run at most, so a registry mix-up cannot empty the group at once. */
  maxReplacementsPerRun: number;
}

export const DEFAULT_RECONCILE: ReconcileSettings = {
  bootGraceMs: 10 * 60_000,
  disabledGraceMs: 5 * 60_000,
  drainTimeoutMs: 15 * 60_000,
  terminateGraceMs: 5 * 60_000,
  launchTimeoutMs: 15 * 60_000,
  maxReplacementsPerRun: 1,
};
