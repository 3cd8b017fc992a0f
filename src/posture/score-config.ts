/**
 * `score:` in the config: how the risk score weighs what a scan found, set by the organisation
 * (shared through `_extends` like every other setting). The score is information for prioritising;
 * it never changes the verdict (`fail_on` does).
 */
import { z } from "zod";

export const CRITICALITIES = ["low", "normal", "high", "critical"] as const;
export type Criticality = (typeof CRITICALITIES)[number];

const weight = (max: number) => z.number().min(0).max(max);

export const scoreConfigSchema = z
  .strictObject({
    criticality: z
      .enum(CRITICALITIES)
      .default("normal")
      .describe("How much this repository matters to the business: multiplies every point (low 0.5, normal 1, high 1.5, critical 2 by default)."),
    weights: z
      .strictObject({
        severity: z
          .strictObject({ critical: weight(100), high: weight(100), medium: weight(100), low: weight(100), info: weight(100) })
          .partial()
          .prefault({})
          .describe("Points per distinct finding of each severity (defaults: critical 40, high 20, medium 8, low 2, info 0)."),
        confidence: z
          .strictObject({ high: weight(1), medium: weight(1), low: weight(1) })
          .partial()
          .prefault({})
          .describe("Multiplier by how sure the finding is (defaults: high 1, medium 0.6, low 0.3)."),
        checks: z
          .record(z.string().regex(/^[a-z][a-z0-9-]{0,40}$/), weight(10))
          .prefault({})
          .describe("Multiplier per check family, e.g. `{ policy: 0.7 }` (default 1 for every check)."),
        verified: weight(10).default(2).describe("Multiplier for a secret verified live against its provider (default 2)."),
        criticality: z
          .strictObject({ low: weight(10), normal: weight(10), high: weight(10), critical: weight(10) })
          .partial()
          .prefault({})
          .describe("The multiplier each criticality stands for."),
      })
      .prefault({})
      .describe("The weights the score uses; anything left out keeps its default."),
  })
  .prefault({})
  .describe("The risk score (0 to 100) shown in the check run summary and the dashboard; information only, never the verdict.");

export type ScoreConfig = z.infer<typeof scoreConfigSchema>;
