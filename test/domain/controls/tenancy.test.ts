import {describe, expect, it} from 'vitest';
import {panelControls} from '../../../source/domain/catalog.js';
import {defaultSpec} from '../../../source/domain/spec.js';
import {findingsFor} from '../../../source/domain/findings.js';

describe('the tenancy panel', () => {
  it('says shared hardware fits PCI DSS scopes too, as the dedicated-instance finding does', () => {
    const shared = panelControls('tenancy', 'default', defaultSpec()).find((control) => control.id === 'tenancy')!;
    expect(shared.customer).not.toMatch(/outside strict compliance scopes/);
    expect(shared.customer).toContain('PCI DSS scopes included');
    const dedicated = defaultSpec();
    dedicated.instance.tenancy = 'dedicated';
    const cost = findingsFor(dedicated).find((finding) => finding.id === 'dedicated-tenancy-cost')!;
    // The two sentences agree: PCI DSS does not ask for single-tenant hardware.
    expect(cost.explanation).toContain('standards such as PCI DSS do not');
  });
});
