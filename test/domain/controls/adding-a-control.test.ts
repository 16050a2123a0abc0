// Adding a control is one module and one line in the registry: with a toy module registered (here,
// in the test only), its catalog entry, panel text, finding, plan step and checker reach the
// catalog, the side panel, the findings, the plan and the checker list with no other edit.
import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest';
import {allCreateSpec} from '../plan-fixtures.js';

const REGISTRY_MODULE = '../../../source/domain/controls/index.js';

// The registry's readers, loaded afresh with the toy registered; the unit tests share one module
// graph (they run without isolation), so the toy is taken out again after these tests.
let catalog: typeof import('../../../source/domain/catalog.js');
let checkers: typeof import('../../../source/domain/checkers.js');
let registry: typeof import('../../../source/domain/controls/index.js');
let findings: typeof import('../../../source/domain/findings.js');
let planGraph: typeof import('../../../source/domain/plan-graph.js');
let plan: typeof import('../../../source/domain/plan.js');

beforeAll(async () => {
  vi.resetModules();
  // The one registration line, made in the test: the registry's list with the toy at its end.
  vi.doMock(REGISTRY_MODULE, async (importOriginal) => {
    const actual = await importOriginal<typeof import('../../../source/domain/controls/index.js')>();
    const {readRegistry} = await import('../../../source/domain/controls/registry.js');
    const {toyControl} = await import('./toy-control.js');
    const modules = [...actual.REGISTRY, toyControl];
    return {...actual, REGISTRY: modules, ...readRegistry(modules)};
  });
  catalog = await import('../../../source/domain/catalog.js');
  checkers = await import('../../../source/domain/checkers.js');
  registry = await import('../../../source/domain/controls/index.js');
  findings = await import('../../../source/domain/findings.js');
  planGraph = await import('../../../source/domain/plan-graph.js');
  plan = await import('../../../source/domain/plan.js');
});

afterAll(() => {
  vi.doUnmock(REGISTRY_MODULE);
  vi.resetModules();
});

describe('a control added as one module and one registry line', () => {
  it('is in the catalog, on its step, citing the checker of its verification row', () => {
    expect(registry.CONTROL_IDS).toContain('toy-backup-plan');
    const control = catalog.CONTROLS.find((candidate) => candidate.id === ('toy-backup-plan' as string));
    expect(control?.step).toBe('storage');
    expect(control?.checkers).toEqual([{tool: 'Prowler', id: 'toy_backup_plan'}]);
    // A control on an existing screen adds no step.
    expect(registry.STEP_IDS).toHaveLength(11);
  });

  it('writes its text in the side panel of its step for the highlighted option', () => {
    const panel = catalog.panelControls('storage', 'encrypted', allCreateSpec());
    expect(panel.map((control) => control.id)).toEqual(['ebs-encryption', 'kms-key', 'volume-backup', 'toy-backup-plan']);
    expect(panel[3]?.customer).toBe('Back up what "encrypted" stores.');
    expect(catalog.specControls(allCreateSpec()).map((control) => control.id)).toContain('toy-backup-plan');
  });

  it('raises its finding, which the operator may accept as a risk', () => {
    const spec = allCreateSpec();
    expect(findings.findingsFor(spec).map((finding) => finding.id)).toContain('toy-no-backup');
    expect(findings.isFindingId('toy-no-backup')).toBe(true);
    const accepted = findings.findingsFor(findings.acceptRisk(spec, 'toy-no-backup', 'backed up elsewhere')).find((finding) => finding.id === 'toy-no-backup');
    expect(accepted?.accepted).toEqual({reason: 'backed up elsewhere'});
    // Its own severity is low; its checker's tool says medium, and the finding takes that.
    expect(findings.findingsFor(spec).find((finding) => finding.id === 'toy-no-backup')?.severity).toBe('medium');
  });

  it('adds its plan step where its planOrder puts it, in a plan that still checks', () => {
    const built = plan.buildPlan(allCreateSpec());
    const ids = built.steps.map((step) => step.id);
    expect(ids.slice(ids.indexOf('kms-rotation'), ids.indexOf('security-group') + 1)).toEqual(['kms-rotation', 'toy-backup-vault', 'security-group']);
    expect(planGraph.checkPlan(built)).toEqual([]);
  });

  it('lists its checker with the others', () => {
    expect(checkers.CHECKERS.map((checker) => checker.id)).toContain('toy_backup_plan');
    expect(checkers.checkersForRow('toy-backup-plan').map((checker) => checker.id)).toEqual(['toy_backup_plan']);
  });
});
