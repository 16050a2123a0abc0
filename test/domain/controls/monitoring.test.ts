// Detailed monitoring: on by default with its cost stated, RunInstances' Monitoring.Enabled as
// chosen, both exports render it from the plan, and Prowler's check is predicted from the spec.
import {describe, expect, it} from 'vitest';
import {factsFromSpec} from '../../../source/domain/checker-facts.js';
import {findChecker} from '../../../source/domain/checkers.js';
import type {LiveChecker} from '../../../source/domain/checker-kit.js';
import {monitoringCost} from '../../../source/domain/controls/monitoring.js';
import {panelEdits} from '../../../source/domain/controls/index.js';
import {cliScript} from '../../../source/domain/export-cli.js';
import {cloudFormationObject} from '../../../source/domain/export-cloudformation.js';
import {findingsFor} from '../../../source/domain/findings.js';
import {buildPlan} from '../../../source/domain/plan.js';
import {defaultSpec, type LaunchSpec} from '../../../source/domain/spec.js';
import {validateSpec} from '../../../source/domain/validate.js';

const off = (): LaunchSpec => {
  const spec = defaultSpec();
  spec.instance.detailedMonitoring = false;
  return spec;
};
const runParams = (spec: LaunchSpec) => buildPlan(spec).steps.find((step) => step.action === 'RunInstances')!.params;
const instanceProps = (spec: LaunchSpec) => (cloudFormationObject(spec, {profile: 'p'}).Resources.Instance as {Properties: Record<string, unknown>}).Properties;
const checker = () => findChecker('Prowler', 'ec2_instance_detailed_monitoring_enabled') as LiveChecker;

describe('detailed monitoring', () => {
  it('is on by default, with the cost AWS publishes (7 metrics at $0.30 a metric-month in us-east-1) on the instance-type screen', () => {
    expect(defaultSpec().instance.detailedMonitoring).toBe(true);
    expect(monitoringCost()).toBe('about $2.10 a month (7 metrics at $0.30, us-east-1; prices vary by region)');
    expect(panelEdits('instance-type', 't3.micro', defaultSpec())['detailed-monitoring']?.customer).toContain('$2.10 a month');
    expect(panelEdits('instance-type', 't3.micro', off())['detailed-monitoring']?.customer).toMatch(/^Off: free 5-minute metrics/);
  });

  it('asks RunInstances for it as chosen, and both exports render it from the plan', () => {
    expect(runParams(defaultSpec()).Monitoring).toEqual({Enabled: true});
    expect(runParams(off()).Monitoring).toEqual({Enabled: false});
    expect(instanceProps(defaultSpec()).Monitoring).toBe(true);
    expect(instanceProps(off()).Monitoring).toBeUndefined();
    expect(cliScript(defaultSpec(), {profile: 'p'})).toContain(`--monitoring '{"Enabled":true}'`);
    expect(cliScript(off(), {profile: 'p'})).toContain(`--monitoring '{"Enabled":false}'`);
  });

  it("predicts Prowler's verdict (low) and raises a finding only when it is off", () => {
    expect(checker().severity).toBe('low');
    expect(checker().verdicts(factsFromSpec(defaultSpec()))).toEqual([{resource: 'instance web-1', verdict: 'pass'}]);
    expect(checker().verdicts(factsFromSpec(off()))).toEqual([{resource: 'instance web-1', verdict: 'fail'}]);
    // Prowler wants "enabled": an instance whose monitoring is still pending fails it for now.
    expect(checker().verdicts({instance: {id: 'i-1', publicIp: false, httpTokens: 'required', httpEndpoint: 'enabled', instanceProfile: false, monitoring: 'pending'}})).toEqual([
      {resource: 'i-1', verdict: 'fail'},
    ]);
    expect(findingsFor(defaultSpec()).map((finding) => finding.id)).not.toContain('detailed-monitoring-off');
    const finding = findingsFor(off()).find((item) => item.id === 'detailed-monitoring-off')!;
    expect(finding).toMatchObject({severity: 'low', checkers: [{tool: 'Prowler', id: 'ec2_instance_detailed_monitoring_enabled'}]});
  });

  it('a spec without the field (an older profile) means on; anything but true or false is refused', () => {
    const older = defaultSpec();
    delete older.instance.detailedMonitoring;
    expect(runParams(older).Monitoring).toEqual({Enabled: true});
    expect(validateSpec(older)).toEqual([]);
    const bad = defaultSpec();
    (bad.instance as {detailedMonitoring?: unknown}).detailedMonitoring = 'yes';
    expect(validateSpec(bad).map((problem) => problem.message)).toContain("Detailed monitoring must be true or false, not 'yes'.");
  });
});
