/** The end-to-end suite with the in-process queue (no REDIS_URL). */
import { e2eSuite } from "./e2e-suite.js";

e2eSuite({ name: "in-process", harness: async () => ({}) });
