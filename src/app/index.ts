/**
 * The Probot entry point for `probot run ./dist/app/index.js` (`npm run setup`: Probot's flow that
 * registers the GitHub App and writes `.env`). Production runs `npm start` (server.ts), which adds
 * the webhook body limit and graceful shutdown around the same app.
 */
import type { ApplicationFunction } from "probot";
import { createApp } from "./create-app.js";

const prSentinel: ApplicationFunction = (app, options) => createApp().appFn(app, options);

export default prSentinel;
export { createApp, type AppOptions, type PrSentinelApp } from "./create-app.js";
