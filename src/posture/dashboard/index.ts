/** The dashboard's public surface: the handler the app's server mounts, and the projection's sync. */
export { createDashboardHandler, type DashboardHandler, type DashboardOptions } from "./handler.js";
export { dashboardEnvShape, type DashboardEnv } from "./dashboard-env.js";
export { syncDashboard } from "./project.js";
