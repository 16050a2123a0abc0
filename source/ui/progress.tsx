// The launch progress views (progress/), under the name the tests and older modules know.
export {ProgressScreen} from './progress/view.js';
export {VerificationTable} from './progress/verification-table.js';
