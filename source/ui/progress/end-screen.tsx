// The end of a launch: how to reach the server, check it again and remove it all; or what went
// wrong, what was rolled back and what is left to clean up.
import {Box} from 'ink';
import {Text} from '../text.js';
import {scheduledKeyNotes} from '../../domain/removal-text.js';
import {t, type Text as TextValue} from '../../domain/safe-text.js';
import {exitCodeOf, type ProgressState} from '../progress-state.js';
import {sourceText, totalText} from '../../domain/cost/render.js';
import type {CostEstimate} from '../../domain/cost/types.js';
import {LabelledRow, Para} from '../widgets.js';
import {loadBalancedSite} from '../../domain/controls/load-balancer.js';
import type {LaunchSpec} from '../../domain/spec.js';

/**
 * `cost`: the review's estimate of what this launch costs a month (docs/cost.md), when there is one.
 * `spec`: what was launched, for the site's address behind a load balancer.
 */
export function EndScreen({state, cost, spec}: {state: ProgressState; cost?: CostEstimate; spec?: LaunchSpec}) {
  const summary = state.summary;
  const code = exitCodeOf(state);
  const destroy = `tandem destroy ${state.launchId}`;
  if (state.crash) {
    return (
      <Box flexDirection="column" marginTop={1}>
        <Para color="red">{t`The launch stopped unexpectedly: ${state.crash}`}</Para>
        <Para>{`Anything it created is in the launch journal; remove it with: ${destroy}`}</Para>
      </Box>
    );
  }
  if (!summary) return null;
  if (summary.status !== 'launched') {
    const removed = state.rollback?.deleted.length ?? 0;
    const gone = state.rollback?.gone.length ?? 0;
    const goneText = gone > 0 ? ` ${gone} already gone (not found: removed outside tandem).` : '';
    const left = state.rollback?.failed ?? [];
    return (
      <Box flexDirection="column" marginTop={1}>
        <Text color={code === 130 ? 'yellow' : 'red'} bold wrap="wrap">
          {code === 130 ? 'Launch interrupted.' : 'Launch failed.'}{' '}
          {summary.status === 'rolled-back' || summary.status === 'interrupted' ? `Rolled back: ${removed} resource${removed === 1 ? '' : 's'} removed.${goneText}` : ''}
          {summary.status === 'kept' ? 'What was created has been kept, as asked.' : ''}
        </Text>
        {left.map((item) => (
          <Para key={item.resource.id} color="red">
            {t`could not remove ${item.resource.kind} ${item.resource.id}: ${item.code}: ${item.message}`}
          </Para>
        ))}
        {scheduledKeyNotes(state.rollback?.deleted ?? []).map((note) => (
          <Para key={note}>{note}</Para>
        ))}
        {left.length > 0 || summary.status === 'kept' || summary.status === 'failed' ? <Para>{`Remove what is left with: ${destroy}`}</Para> : null}
      </Box>
    );
  }
  const ip = summary.publicIp;
  // Behind a load balancer the site is at its DNS name, and the instance has no address of its own.
  const site = spec && summary.loadBalancerDns ? loadBalancedSite(spec, summary.loadBalancerDns) : undefined;
  const lines: Array<[string, TextValue]> = [];
  if (site) lines.push(['Open the site', t`${site.url}`]);
  if (ip) lines.push(['Open the site', `http://${ip}`]);
  if (summary.login && summary.login !== summary.session) lines.push(['Log in', summary.login]);
  if (summary.session) lines.push(['Shell', summary.session]);
  if (summary.instanceId) lines.push(['Instance', t`${summary.instanceId}`]);
  lines.push(['Check again', `tandem verify ${state.launchId}`]);
  lines.push(['Remove it all', destroy]);
  if (cost) lines.push(['Costs', `${totalText(cost)} until removed (${sourceText(cost)})`]);
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text color={code === 0 ? 'green' : 'red'} bold wrap="wrap">
        {code === 0 ? 'Launched, and every control checked out.' : 'Launched, but verification found a failing control (see above).'}
      </Text>
      {lines.map(([label, value]) => (
        <LabelledRow key={label} label={label} width={15}>
          {value}
        </LabelledRow>
      ))}
      {site?.note ? <Para dimColor>{t`${site.note}`}</Para> : null}
      {!ip ? (
        <Para dimColor>
          {site ? 'The instance has no public address: the load balancer reaches it inside the VPC.' : 'The instance has no public address; reach it from inside its VPC.'}
        </Para>
      ) : null}
    </Box>
  );
}
