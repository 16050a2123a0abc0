// The frame around every screen: a header saying where tandem will act (or that it will not),
// the step and a progress bar, and a footer help line generated from the keymap. The body gets
// the lines in between, so header and help stay on screen at any terminal height.
import React from 'react';
import {Box} from 'ink';
import {Text} from './text.js';
import type {CallerIdentity} from '../domain/cloud.js';
import {truncate} from '../domain/report-wrap.js';
import {t} from '../domain/safe-text.js';
import {helpItems, type KeyContext} from './keymap.js';
import {bodyLines, type Layout} from './layout.js';
import {progressBar} from './theme.js';
import {ActiveKeys} from './use-keys.js';
import {Divider, Prose} from './widgets.js';

export interface HeaderProps {
  identity?: CallerIdentity;
  /** Why there is no account to show (checking, explain mode, no credentials…). */
  status: string;
  launchName: string;
  step?: {index: number; total: number};
  /** Which region source won when they disagree (commands/region.ts). */
  regionNote?: string;
}

/** Where tandem acts: the account and region, or why there is none. */
function whereText({identity, status, regionNote}: HeaderProps): string {
  return t.text`${identity ? t`account ${identity.account} · ${identity.region}` : status}${regionNote ? t` (${regionNote})` : ''}`;
}

function headerText(props: HeaderProps): string {
  return `${whereText(props)} · launch ${props.launchName}`;
}

/** The short header's one line: the launch first, since it is what the screen is about. */
function shortText(props: HeaderProps): string {
  return `launch ${props.launchName} · ${whereText(props)}`;
}

/**
 * Lines the short header's text takes. Usually one; a status too long for it (why tandem is in
 * explain mode, an endpoint that does not answer) gets a second, since it is the news on screen,
 * unless the terminal is so low that the line is worth more to the step below.
 */
export function headerTextLines(props: HeaderProps, layout: {columns: number; rows: number}): number {
  return !props.identity && layout.rows >= 20 && shortText(props).length > layout.columns - 8 ? 2 : 1;
}

export function Header(props: HeaderProps & {width: number; rows: number; short: boolean}) {
  const {step, width, rows, short} = props;
  const stepText = step ? (
    <Text>
      step {step.index} of {step.total} <Text color="cyan">{progressBar(step.index, step.total)}</Text>
    </Text>
  ) : null;
  return (
    <Box flexDirection="column">
      {short ? (
        <>
          {headerTextLines(props, {columns: width, rows}) === 1 ? (
            <Text>
              <Text bold color="cyan">
                tandem{'  '}
              </Text>
              {truncate(shortText(props), Math.max(1, width - 8))}
            </Text>
          ) : (
            <>
              <Text>
                <Text bold color="cyan">
                  tandem{'  '}
                </Text>
                {truncate(`launch ${props.launchName}`, Math.max(1, width - 8))}
              </Text>
              <Text>{truncate(whereText(props), Math.max(1, width))}</Text>
            </>
          )}
          {stepText}
        </>
      ) : (
        <Box flexWrap="wrap" justifyContent="space-between" columnGap={2}>
          <Box flexShrink={1}>
            <Prose spans={[{text: 'tandem  ', bold: true, color: 'cyan'}, {text: headerText(props)}]} />
          </Box>
          {stepText}
        </Box>
      )}
      <Divider width={width} />
    </Box>
  );
}

/** Lines the help items take when wrapped at `width`, as the footer lays them out. */
export function helpLines(items: string[], width: number): number {
  let lines = 1;
  let used = 0;
  items.forEach((item, index) => {
    const size = item.length + (index < items.length - 1 ? 3 : 0);
    if (used > 0 && used + size > width) {
      lines += 1;
      used = 0;
    }
    used += size;
  });
  return lines;
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

/**
 * Header, body and footer; the body is given the lines the terminal has left for it. The very
 * first frame (`firstFrame`) leaves out the footer and the padding below the body: Ink styles
 * every cell of the frame, blank or not, and the next frame adds both where they belong.
 */
export function Screen(props: {header: HeaderProps; keys: KeyContext; layout: Layout; firstFrame?: boolean; children: (lines: number) => React.ReactNode}) {
  const {header, keys, layout} = props;
  const short = layout.rows !== Infinity;
  const headerLines = (short ? headerTextLines(header, layout) + (header.step ? 1 : 0) : 0) + 1;
  const footerLines = 1 + helpLines(helpItems(keys), layout.columns);
  const lines = short ? bodyLines(layout.rows, headerLines, footerLines) : Infinity;
  return (
    <ActiveKeys.Provider value={keys}>
      <Box flexDirection="column" width={layout.columns}>
        <Header {...header} width={layout.columns} rows={layout.rows} short={short} />
        <Box flexDirection="column" height={short && !props.firstFrame ? lines : undefined} overflow={short ? 'hidden' : undefined}>
          {/* Never squeezed: a body taller than its lines is cut at the bottom, not drawn over itself. */}
          <Box flexDirection="column" flexShrink={0}>
            {props.children(lines)}
          </Box>
        </Box>
        {props.firstFrame ? null : <Footer context={keys} width={layout.columns} />}
      </Box>
    </ActiveKeys.Provider>
  );
}
