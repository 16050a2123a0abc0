// The frame around every screen: a header saying where tandem will act (or that it will not),
// the step and a progress bar, and a footer help line generated from the keymap.
import React from 'react';
import {Box, Text} from 'ink';
import type {CallerIdentity} from '../domain/cloud.js';
import {inert} from '../domain/sanitize.js';
import {helpItems, type KeyContext} from './keymap.js';
import {progressBar} from './theme.js';
import {Divider, Prose} from './widgets.js';

export interface HeaderProps {
  identity?: CallerIdentity;
  /** Why there is no account to show (checking, explain mode, no credentials…). */
  status: string;
  launchName: string;
  step?: {index: number; total: number};
  width: number;
  /** Which region source won when they disagree (commands/region.ts). */
  regionNote?: string;
}

export function Header({identity, status, launchName, step, width, regionNote}: HeaderProps) {
  const where = `${identity ? `account ${inert(identity.account)} · ${inert(identity.region)}` : status}${regionNote ? ` (${inert(regionNote)})` : ''}`;
  return (
    <Box flexDirection="column">
      <Box flexWrap="wrap" justifyContent="space-between" columnGap={2}>
        <Box flexShrink={1}>
          <Prose spans={[{text: 'tandem  ', bold: true, color: 'cyan'}, {text: `${where} · launch ${launchName}`}]} />
        </Box>
        {step ? (
          <Text>
            step {step.index} of {step.total} <Text color="cyan">{progressBar(step.index, step.total)}</Text>
          </Text>
        ) : null}
      </Box>
      <Divider width={width} />
    </Box>
  );
}

/** The help line, generated from the keymap (helpLine gives the same text on one line). */
export function Footer({context, width}: {context: KeyContext; width: number}) {
  return (
    <Box flexDirection="column">
      <Divider width={width} />
      <Box flexWrap="wrap">
        {helpItems(context).map((item, index, all) => (
          <Text key={item} dimColor>
            {index < all.length - 1 ? `${item} · ` : item}
          </Text>
        ))}
      </Box>
    </Box>
  );
}
