// The console's message catalogues, as the browser tests read them (`@skills/console`): a test finds a
// button by the words a clerk reads on it.
export { en } from './en';
export { zhCN, type MessageKey } from './zh-CN';
export { fieldKeyOf } from './field-key';
/** A brand criterion's figure as the bureau reads it (a rate as a percentage, rounded down where it misses). */
export { criterionFigure } from '../screens/bureau/criterion-figure';
