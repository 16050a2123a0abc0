// A region of a screen with a fixed number of lines. What does not fit is cut at the row
// boundaries around the row that matters (the cursor, or the newest progress), and "↑ 3 more" /
// "↓ 5 more" say what is hidden. Rows know their height, so no second render is needed.
import React from 'react';
import {Box} from 'ink';
import {Text} from './text.js';

export interface ScrollRow {
  key: string;
  /** Lines this row takes at the region's width. */
  lines: number;
  node: React.ReactNode;
}

export interface Window {
  from: number;
  to: number;
  above: number;
  below: number;
}

const total = (rows: ScrollRow[], from = 0, to = rows.length) => rows.slice(from, to).reduce((sum, row) => sum + row.lines, 0);

function grow(rows: ScrollRow[], room: number, at: number): {from: number; to: number; used: number} {
  let from = at;
  let to = at + 1;
  let used = rows[at]?.lines ?? 0;
  for (let grew = true; grew;) {
    grew = false;
    if (to < rows.length && used + rows[to].lines <= room) {
      used += rows[to++].lines;
      grew = true;
    }
    if (from > 0 && used + rows[from - 1].lines <= room) {
      used += rows[--from].lines;
      grew = true;
    }
  }
  return {from, to, used};
}

/** The rows to show in `height` lines, keeping `anchor` visible; the marks take a line each. */
export function windowOf(rows: ScrollRow[], height: number, anchor: number): Window {
  if (total(rows) <= height) return {from: 0, to: rows.length, above: 0, below: 0};
  const at = Math.max(0, Math.min(rows.length - 1, anchor));
  for (let room = height - 1; room >= 1; room--) {
    const {from, to, used} = grow(rows, room, at);
    const marks = (from > 0 ? 1 : 0) + (to < rows.length ? 1 : 0);
    if (used + marks <= height) return {from, to, above: from, below: rows.length - to};
  }
  return {from: at, to: at + 1, above: at, below: rows.length - at - 1};
}

/** "N fields below" said by a list whose region hides more fields under it. */
export function fieldsText(fields: number): string {
  return `${fields} more ${fields === 1 ? 'field' : 'fields'} below`;
}

/**
 * The mark for what is hidden above or below. A list cut at the bottom of a region that also hides
 * rows below it says both on its one mark (`fields`), so two "↓" marks never stack.
 */
export function More({count, up, fields = 0}: {count: number; up: boolean; fields?: number}) {
  if (fields > 0 && !up) return <Text dimColor>{count > 0 ? `   ↓ ${count} more · ${fieldsText(fields)}` : `   ↓ ${fieldsText(fields)}`}</Text>;
  return count > 0 ? <Text dimColor>{`   ${up ? '↑' : '↓'} ${count} more`}</Text> : null;
}

/**
 * Shows `rows` in at most `height` lines around row `anchor`. With `anchorSaysBelow`, the anchor
 * row, when it is the last one shown, has said what is hidden below (its list's mark), so the
 * region adds no mark of its own under it.
 */
export function Scroll({rows, height, anchor = 0, anchorSaysBelow = false}: {rows: ScrollRow[]; height: number; anchor?: number; anchorSaysBelow?: boolean}) {
  const window = windowOf(rows, height, anchor);
  const shown = rows.slice(window.from, window.to);
  const marks = (window.above > 0 ? 1 : 0) + (window.below > 0 ? 1 : 0);
  const clip = marks > 0 && shown.length === 1 && shown[0].lines > height - marks;
  return (
    <Box flexDirection="column" flexShrink={0}>
      <More count={window.above} up />
      {clip ? (
        <Box height={Math.max(1, height - marks)} overflow="hidden" flexDirection="column">
          <Box flexDirection="column" flexShrink={0}>
            {shown[0].node}
          </Box>
        </Box>
      ) : (
        shown.map((row) => (
          <Box key={row.key} flexDirection="column" flexShrink={0}>
            {row.node}
          </Box>
        ))
      )}
      {anchorSaysBelow && window.to === anchor + 1 ? null : <More count={window.below} up={false} />}
    </Box>
  );
}
