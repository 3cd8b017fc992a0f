/**
 * The app as a Probot application function, for `probot run ./dist/app/index.js` and for embedding
 * in another Probot server. Production runs `npm start` (server.ts), which adds the webhook body
 * limit and graceful shutdown around the same app; `npm run setup` (setup.ts) registers the App.
 */
import type { ApplicationFunction } from "probot";
import { createApp } from "./create-app.js";

const prSentinel: ApplicationFunction = (app, options) => createApp().appFn(app, options);

export default prSentinel;
export { createApp, type AppOptions, type PrSentinelApp } from "./create-app.js";
