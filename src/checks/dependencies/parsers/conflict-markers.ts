import { DependencyParseError } from "../model.js";

const CONFLICT_MARKER = /^(<{7}|={7}|>{7}|\|{7})(\s|$)/;

/** A lockfile with merge-conflict markers is not one lockfile but two: neither side can be trusted to be what gets installed. */
export function rejectConflictMarkers(lines: readonly string[]): void {
  const index = lines.findIndex((text) => CONFLICT_MARKER.test(text));
  if (index !== -1) {
    throw new DependencyParseError(`merge-conflict marker at line ${index + 1}: resolve the conflict and regenerate the lockfile`, index + 1);
  }
}
