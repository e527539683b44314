// What the end-to-end tests use of the all-in-one host: the demo data set it loads with --demo.
export { demoSettled, demoVerdicts, loadDemo } from './demo/load-demo';
export { PLATFORM_MODULES } from './platform-modules';
export { platformOpenApiDocument } from './platform-document';
export { demoPerson } from './demo/demo-data';
export { embeddedPostgresPort, platformDataDir } from './platform-data';
