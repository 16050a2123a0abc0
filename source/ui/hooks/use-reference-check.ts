// After a profile is replayed, asks AWS whether what it reuses still exists: when the review is
// shown, and again only if the operator went back and changed those references.
import {useEffect, useRef, useState} from 'react';
import type {Cloud} from '../../domain/cloud.js';
import {referencesOf} from '../../domain/profile-references.js';
import type {LaunchSpec} from '../../domain/spec.js';
import type {ReferencesState} from '../review/state.js';
import {describe} from '../../errors.js';

export function useReferenceCheck(spec: LaunchSpec, options: {enabled: boolean; live: boolean; onReview: boolean; cloud?: Cloud}): ReferencesState | undefined {
  const {enabled, live, onReview, cloud} = options;
  const [state, setState] = useState<ReferencesState | undefined>();
  const references = enabled ? referencesOf(spec) : [];
  const key = JSON.stringify(references);
  const checked = useRef('');
  const latestSpec = useRef(spec);
  latestSpec.current = spec;
  useEffect(() => {
    if (!enabled || !live || !cloud?.checkReferences || !onReview || checked.current === key) return;
    checked.current = key;
    // Nothing reused any more: an earlier "missing" must not keep Launch disabled.
    if (key === '[]') {
      setState(undefined);
      return;
    }
    setState({status: 'checking'});
    cloud.checkReferences(latestSpec.current).then(
      (results) => {
        if (checked.current === key) setState({status: 'done', results});
      },
      (error: unknown) => {
        if (checked.current === key) setState({status: 'failed', message: describe(error).message});
      },
    );
  }, [enabled, live, cloud, key, onReview]);
  return state;
}
