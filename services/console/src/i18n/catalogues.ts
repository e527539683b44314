// The console's message catalogues, as the browser tests read them (`@skills/console`): a test finds a
// button by the words a clerk reads on it.
export { en } from './en';
export { zhCN, type MessageKey } from './zh-CN';
export { fieldKeyOf } from './field-key';
/** A brand criterion's figure as the bureau reads it (a rate as a percentage, rounded down where it misses). */
export { criterionFigure } from '../screens/bureau/criterion-figure';
export { instantText } from '../components/dates';
export { mobileNumberTyped } from '../components/mobile-number';
/** The certify form's levels and routes, built on the level held on the certification date. */
export { levelHeldOn, listedLevels, openRoutes, reachableLevels, type LadderRung } from '../screens/evaluator/ladder-routes';
