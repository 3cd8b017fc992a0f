export { dependenciesCheck } from "./check.js";
