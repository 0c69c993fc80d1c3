export * from "./common.js";
export * from "./write.js";
export * from "./canvas.js";
export * from "./moodle.js";
export * from "./gradescope.js";
export * from "./gradescope-bundle.js";
export * from "./prairielearn.js";
export * from "./lti.js";
export { exportFormat, EXPORT_FORMATS, type ExportFormat, type ExportOptions } from "./command.js";
