/** Types of measure.mjs for the TypeScript benches. */
export interface MeasureOptions {
  readonly cwd?: string;
  readonly env?: Record<string, string | undefined>;
  readonly keepStdout?: boolean;
  readonly timeoutSeconds?: number;
}

export interface Measured {
  readonly code: number | null;
  readonly timedOut: boolean;
  readonly seconds: number;
  readonly stdout: string;
  readonly stdoutBytes: number;
  readonly stderr: string;
  /** Peak resident memory (GNU time's %M); undefined without /usr/bin/time. */
  readonly peakMiB: number | undefined;
}

export function measure(command: string, args: readonly string[], options?: MeasureOptions): Promise<Measured>;
export function bestOf(runs: number, command: string, args: readonly string[], options?: MeasureOptions): Promise<Measured>;
