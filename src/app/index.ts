/**
 * The Probot entry point: `npm start` runs `probot run ./dist/app/index.js`, which calls this
 * function. The environment is validated first, so a missing or wrong variable stops start-up with
 * one clear message.
 */
import type { ApplicationFunction } from "probot";
import { createApp } from "./create-app.js";

const prSentinel: ApplicationFunction = (app, options) => createApp().appFn(app, options);

export default prSentinel;
export { createApp, type AppOptions, type PrSentinelApp } from "./create-app.js";
