/** Why a scan was stopped: a newer head of the same pull request is current now. */
export class SupersededError extends Error {
  constructor(
    readonly oldSha: string,
    readonly newSha: string,
  ) {
    super(`superseded: a newer scan started for ${newSha.slice(0, 7)}`);
    this.name = "SupersededError";
  }
}

/** Why a scan was stopped: the process is shutting down; the job goes back to the queue. */
export class ShutdownError extends Error {
  /** `handBack`: another worker takes the job over (queue mode); else its check run is closed now. */
  constructor(readonly handBack: boolean) {
    super(handBack ? "the worker is shutting down; the job goes back to the queue" : "pr-sentinel was stopped before the scan finished");
    this.name = "ShutdownError";
  }
}
