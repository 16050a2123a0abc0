// The one Text of the screens (docs/design.md section 3): Ink's Text, with every string it is
// given made inert line by line, as the writer does for the CLI. A name, tag, description or error
// message from AWS, or a value the operator typed, is shown as text whatever bytes it holds; a
// screen needs no inert() of its own. Text tandem vouches for (t`…`, trusted()) is shown as it is,
// and t`…` makes each value in it inert whole, so a line break in a value cannot start a line.
// Lint keeps Ink's own Text out of every other file.
import {createElement, type ReactNode} from 'react';
import {Text as InkText, type TextProps as InkTextProps} from 'ink';
import {isTrusted, safeText, type Trusted} from '../domain/safe-text.js';

/** What a Text may hold: what Ink's Text holds, and tandem's trusted text. */
export type TextContent = ReactNode | Trusted | ReadonlyArray<ReactNode | Trusted>;

export type TextProps = Omit<InkTextProps, 'children'> & {readonly children?: TextContent};

/** One child as Ink gets it: strings inert (a check and nothing more when they are clean). */
function safeChild(child: unknown): ReactNode {
  if (typeof child === 'string') return safeText(child);
  if (isTrusted(child)) return child.text;
  if (Array.isArray(child)) return child.map(safeChild);
  return child as ReactNode;
}

export function Text({children, ...props}: TextProps) {
  // Spread as arguments, the children stay static children: React asks no keys of them.
  if (Array.isArray(children)) return createElement(InkText, props, ...(children as unknown[]).map(safeChild));
  return createElement(InkText, props, safeChild(children));
}
