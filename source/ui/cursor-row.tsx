// The one row shape of every list: a three-column gutter with the cursor (›) or a mark, and the
// row's content beside it, wrapping under itself.
import React from 'react';
import {Box} from 'ink';
import {Text} from './text.js';

export function CursorRow({mark, color, children}: {mark: string; color?: string; children: React.ReactNode}) {
  return (
    <Box>
      <Box width={3} flexShrink={0}>
        <Text color={color}> {mark}</Text>
      </Box>
      <Box flexGrow={1} flexShrink={1}>
        {children}
      </Box>
    </Box>
  );
}

/** The gutter mark of a list row: the cursor where keys act, a dot for the chosen option. */
export function markOf(selected: boolean, focused: boolean): string {
  return selected ? (focused ? '›' : '•') : ' ';
}
