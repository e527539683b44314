// What the end-to-end tests use of the all-in-one host: the demo data set it loads with --demo.
export { demoSettled, demoVerdicts, loadDemo } from './demo/load-demo';
