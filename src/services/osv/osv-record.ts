/**
 * The parts of an OSV record (https://ossf.github.io/osv-schema/) that pr-sentinel reads, as a zod
 * schema: records come from the network or from an export on disk and are validated before use.
 * Unknown fields are kept out (`z.object` strips them); fields we read are typed loosely enough that
 * a record using a newer schema version still parses.
 */
import { z } from "zod";

const eventSchema = z.object({
  introduced: z.string().optional(),
  fixed: z.string().optional(),
  last_affected: z.string().optional(),
  limit: z.string().optional(),
});

export const osvRangeSchema = z.object({
  type: z.string(),
  repo: z.string().optional(),
  events: z.array(eventSchema).max(10_000),
});

export const osvAffectedSchema = z.object({
  package: z
    .object({
      ecosystem: z.string(),
      name: z.string(),
      purl: z.string().optional(),
    })
    .optional(),
  ranges: z.array(osvRangeSchema).max(1_000).optional(),
  versions: z.array(z.string()).max(100_000).optional(),
  severity: z.array(z.object({ type: z.string(), score: z.string() })).optional(),
  ecosystem_specific: z.record(z.string(), z.unknown()).optional(),
  database_specific: z.record(z.string(), z.unknown()).optional(),
});

export const osvRecordSchema = z.object({
  id: z.string().min(1).max(200),
  modified: z.string().optional(),
  published: z.string().optional(),
  withdrawn: z.string().optional(),
  aliases: z.array(z.string()).max(1_000).optional(),
  summary: z.string().optional(),
  details: z.string().optional(),
  severity: z.array(z.object({ type: z.string(), score: z.string() })).optional(),
  affected: z.array(osvAffectedSchema).max(10_000).optional(),
  references: z.array(z.object({ type: z.string().optional(), url: z.string() })).max(10_000).optional(),
  database_specific: z.record(z.string(), z.unknown()).optional(),
});

export type OsvRecord = z.infer<typeof osvRecordSchema>;
export type OsvAffected = z.infer<typeof osvAffectedSchema>;
export type OsvRange = z.infer<typeof osvRangeSchema>;
