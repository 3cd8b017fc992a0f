/**
 * Regular expressions from repository config are untrusted: `(a+)+$` hangs a backtracking engine on
 * one crafted line. They are compiled with RE2 (linear time, no backreferences or lookaround); an
 * invalid one is a config error naming its key.
 */
import RE2 from "re2";

/** The error RE2 gives for `pattern`, or undefined when it compiles. */
export function patternError(pattern: string, flags = "u"): string | undefined {
  try {
    new RE2(pattern, flags);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** A pattern from config, compiled linear-time. Call only with patterns the config schema accepted. */
export function compileUntrustedPattern(pattern: string, flags = "u"): RE2 {
  return new RE2(pattern, flags);
}
