// Makes sure the checkers the conformance suite runs (npm run test:checkers) are installed, pinned,
// each in a venv of its own under .moto/ (git-ignored): their dependency pins clash with moto's
// and with each other's. Prowler's install is large (about 2 GB), so it happens once and is
// reused. Importing moto-setup first installs the local endpoint the suite launches against.
//   .moto/prowler-venv   Prowler 5, run against moto through AWS_ENDPOINT_URL
//   .moto/checkov-venv   checkov 3, run on tandem's CloudFormation exports
import {ensureVenv} from './moto-setup.mjs';

export const PROWLER_VERSION = '5.46.0';
export const CHECKOV_VERSION = '3.3.30';

ensureVenv('prowler-venv', `prowler==${PROWLER_VERSION}`, 'import prowler');
ensureVenv('checkov-venv', `checkov==${CHECKOV_VERSION}`, 'import checkov');
