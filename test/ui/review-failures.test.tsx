// The review names, before anything is created, every check of the three tools the plan will
// fail, each with the tool's own id and severity.
import {afterEach, expect, test} from 'vitest';
import {checkerVerdicts} from '../../source/domain/checker-run.js';
import {predictedFailures} from '../../source/domain/predicted-failures.js';
import {defaultSpec} from '../../source/domain/spec.js';
import {App} from '../../source/ui/app.js';
import {cleanupAll, renderAt, waitForText} from './helpers.js';

afterEach(() => cleanupAll());

const flat = (text: string | undefined) => (text ?? '').replace(/\s+/g, ' ');

test('the review lists every check the plan will fail, with tool, id and severity', async () => {
  const spec = defaultSpec('us-east-1');
  const app = renderAt(<App mode="explain" initialSpec={spec} startAtReview onExit={() => {}} />, 220);
  await waitForText(app, 'step 12 of 12');
  const frame = flat(app.lastFrame());
  const failures = predictedFailures(checkerVerdicts(spec));
  expect(frame).toContain(`Checks this plan will fail (${failures.length})`);
  expect(frame).toContain('Prowler ec2_securitygroup_allow_ingress_from_internet_to_any_port (high) fails security group web-sg');
  expect(frame).toContain('Security Hub EC2.10 (medium; FSBP, NIST 800-53) fails default VPC');
  for (const failure of failures) expect(frame, failure.id).toContain(`${failure.tool} ${failure.id} (`);
});
