// On the review, with credentials: names tandem made up that are taken are renumbered first, then
// pre-flight checks the spec against the account. Runs again whenever the spec changes, each time
// the review is shown again, and when asked (`round` moves: the operator fixed the account). What
// it finds is reported as it happens (onState, onNames); the review mode keeps it.
import {useEffect, useRef} from 'react';
import type {Cloud} from '../../domain/cloud.js';
import {createdNames, isMadeUpName, type NameField} from '../../domain/preflight.js';
import type {LaunchSpec} from '../../domain/spec.js';
import type {PreflightState} from '../review/state.js';
import {describe} from '../../errors.js';

export function usePreflight(
  spec: LaunchSpec,
  options: {
    onReview: boolean;
    live: boolean;
    fields: readonly NameField[];
    cloud?: Cloud;
    /** The check started, answered or failed. */
    onState: (state: PreflightState) => void;
    /** Names tandem made up were taken: the spec with the new ones, and a line saying so. */
    onNames: (spec: LaunchSpec, notice: string) => void;
    round?: number;
  },
): void {
  const {onReview, live, fields, cloud, onState, onNames, round = 0} = options;
  // The key names the spec (risks aside); the object itself changes on every keypress.
  const key = onReview && live ? JSON.stringify({round, spec: {...spec, acceptedRisks: []}}) : '';
  const latest = useRef('');
  const current = useRef({spec, fields, onState, onNames});
  current.current = {spec, fields, onState, onNames};
  useEffect(() => {
    // Off the review, forget what was checked: coming back checks the account again, since it
    // may have changed meanwhile (a check still running is answered for nobody).
    if (!key) latest.current = '';
    if (!key || !cloud?.preflight || latest.current === key) return;
    latest.current = key;
    const {spec: checked, fields: names} = current.current;
    // The latest callbacks, when the answer comes.
    const setState = (state: PreflightState) => current.current.onState(state);
    setState({status: 'checking'});
    const renumber = names.filter((field) => isMadeUpName(checked, field));
    const proposed = cloud.proposeNames && renumber.length > 0 ? cloud.proposeNames(checked, renumber) : Promise.resolve(checked);
    proposed
      .then(async (next) => {
        if (latest.current !== key) return;
        const before = createdNames(checked);
        const after = createdNames(next);
        const changed = renumber.filter((field) => before[field] !== after[field]);
        if (changed.length > 0) {
          // The new spec has a new key: this effect runs again and checks it.
          current.current.onNames(next, `${changed.map((field) => `${before[field]} is taken, using ${after[field]}`).join('; ')} (esc to go back and rename)`);
          return;
        }
        const report = await cloud.preflight!(checked);
        if (latest.current === key) setState({status: 'done', results: report.results});
      })
      .catch((error: unknown) => {
        if (latest.current === key) setState({status: 'failed', message: describe(error).message});
      });
  }, [key, cloud]);
}
