/** A check with options of several kinds, so config tests do not depend on the real registry. */
import { z } from "zod";
import { defineCheck } from "../../../src/core/types.js";

export const demoCheck = defineCheck({
  meta: {
    id: "demo",
    title: "Demo",
    description: "A check for config tests.",
    defaultSeverity: "medium",
    tags: [],
    rules: [
      { id: "rule-a", title: "Rule A", severity: "high" },
      { id: "rule-b", title: "Rule B", severity: "low" },
    ],
  },
  optionsSchema: z.object({
    entropy: z.number().min(0).max(8).default(4).describe("Minimum entropy."),
    words: z.array(z.string()).default([]).describe("Extra words."),
  }),
  run: async () => [],
});
