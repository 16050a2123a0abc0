// Loads what the visible fields of the current step need from the account, once per key; lists
// show their first pages early. Details of the highlighted item (a KMS key's state) wait until
// the cursor rests there, so scrolling through a long list does not make a call per item passed.
import {useEffect, useRef} from 'react';
import type {Cloud} from '../../domain/cloud.js';
import {wantedFields, type DiscoveryRequest, type Loadable} from '../fields.js';
import {SCREENS} from '../steps/index.js';
import {fieldContext, focusedField, screenId, type WizardState} from '../wizard/state.js';
import {describe} from '../../errors.js';

/** How long the cursor rests on an item before its details are read. */
const DETAILS_SETTLE_MS = 150;

export function useDiscovery(state: WizardState, dispatch: (action: {type: 'discovery'; key: string; state: Loadable}) => void, cloud?: Cloud): void {
  const started = useRef(new Set<string>());
  const screen = screenId(state);
  const fields = state.live && cloud && screen !== 'review' ? wantedFields(SCREENS[screen], state.spec, fieldContext(state)) : [];
  const pending = fields.flatMap((field) => field.source?.(state.spec) ?? []).filter((request) => !started.current.has(request.key));
  const focused = focusedField(state);
  const details = focused?.kind === 'choice' && fields.includes(focused) ? focused.details?.(state.spec, fieldContext(state), state.filters[focused.id] ?? '') : undefined;
  // The request objects are rebuilt every render; their keys say whether anything is new.
  const keys = pending.map((request) => request.key).join('|');
  const latest = useRef({pending, details});
  latest.current = {pending, details};

  useEffect(() => {
    const start = (request: DiscoveryRequest) => {
      if (!cloud || started.current.has(request.key)) return;
      started.current.add(request.key);
      dispatch({type: 'discovery', key: request.key, state: {status: 'loading'}});
      const onPage = (soFar: unknown[]) => dispatch({type: 'discovery', key: request.key, state: {status: 'ready', data: soFar, more: true}});
      request.load(cloud.discovery, onPage).then(
        (data) => dispatch({type: 'discovery', key: request.key, state: {status: 'ready', data}}),
        (error: unknown) => {
          const {code, message} = describe(error);
          dispatch({type: 'discovery', key: request.key, state: {status: 'failed', code, message}});
        },
      );
    };
    if (keys) for (const request of latest.current.pending) start(request);
    const rest = latest.current.details;
    if (!rest || started.current.has(rest.key)) return;
    const timer = setTimeout(() => start(rest), DETAILS_SETTLE_MS);
    return () => clearTimeout(timer);
  }, [keys, details?.key, cloud, dispatch]);
}
