// Finds the operator's public address once "SSH only from your address" is highlighted, so the
// address input arrives filled in for confirmation. The lookup is bounded (3 s) and settles as a
// result, never a throw; it runs once per wizard, and only when the app was given a way to look.
import {useEffect, useRef} from 'react';
import {sshChoice} from '../../domain/controls/security-group.js';
import type {AddressLookup, AddressLookupState} from '../../domain/my-address.js';
import {screenId, type WizardState} from '../wizard/state.js';

export type LookUpAddress = () => {url: string; result: Promise<AddressLookup>};

export function useMyAddress(state: WizardState, dispatch: (action: {type: 'my-address'; lookup: AddressLookupState}) => void, lookUp?: LookUpAddress): void {
  const started = useRef(false);
  const sg = state.spec.securityGroup;
  const wanted = screenId(state) === 'security-group' && sg.mode === 'create' && sshChoice(sg.ssh) === 'ssh-address';
  useEffect(() => {
    if (!wanted || !lookUp || started.current) return;
    started.current = true;
    const {url, result} = lookUp();
    dispatch({type: 'my-address', lookup: {status: 'looking', url}});
    result.then(
      (lookup) => dispatch({type: 'my-address', lookup}),
      (error: unknown) => dispatch({type: 'my-address', lookup: {status: 'failed', reason: 'offline', message: String((error as Error)?.message ?? error), url}}),
    );
  }, [wanted, lookUp, dispatch]);
}
