// The review's details (pre-flight, the launch, the drawing, the findings, the API calls) in a
// terminal short of lines: a window scrolled by the line, not by the row, since one row (the
// drawing, a long pre-flight line, an opened finding) can be taller than the whole window and
// every line of it must still be reachable. "↑ N more" / "↓ N more" count the lines hidden.
import {useEffect, useRef, useState} from 'react';
import {Box, measureElement, type DOMElement} from 'ink';
import {More, type ScrollRow} from '../scroll.js';

export interface LineWindow {
  /** First line shown. */
  offset: number;
  /** Lines of details shown (the marks take the rest of the height). */
  view: number;
  above: number;
  below: number;
  /** The largest offset: the last line shown with only the "↑" mark above. */
  max: number;
}

/** Which of `total` lines show in `height` lines starting at `offset` (clamped), marks included. */
export function lineWindow(total: number, height: number, offset: number): LineWindow {
  if (total <= height) return {offset: 0, view: total, above: 0, below: 0, max: 0};
  const max = total - (height - 1);
  const at = Math.max(0, Math.min(max, offset));
  let view = height - (at > 0 ? 1 : 0);
  let below = total - at - view;
  if (below > 0) {
    view -= 1;
    below += 1;
  }
  return {offset: at, view, above: at, below, max};
}

/**
 * The offset closest to `offset` that shows part of the lines [start, end): the top of them when
 * they come from below or above, and left alone while any of them is on screen, so a row taller
 * than the window can be read on by scrolling.
 */
export function keepInView(offset: number, span: [number, number] | undefined, height: number): number {
  if (!span) return offset;
  const [start, end] = span;
  // With marks above and below, the window shows height - 2 lines.
  const view = Math.max(1, height - 2);
  if (end <= offset || start >= offset + view) return end - start > view || end <= offset ? start : end - view;
  return offset;
}

/** Line where each row starts, and the total. */
export function rowStarts(rows: ScrollRow[]): {starts: Map<string, [number, number]>; total: number} {
  const starts = new Map<string, [number, number]>();
  let line = 0;
  for (const row of rows) {
    starts.set(row.key, [line, line + row.lines]);
    line += row.lines;
  }
  return {starts, total: line};
}

/**
 * The details from line `offset` in `height` lines, keeping part of row `focusKey` in view. Row
 * heights are estimated from the text, then measured after each frame (a drawing or a label can
 * wrap more than estimated): the measured heights win, so every line is reachable and the row
 * under the cursor is found where it is drawn (from its top when `toTop`). `onWindow` hears the
 * window actually shown.
 */
export function DetailsWindow(props: {
  rows: ScrollRow[];
  height: number;
  offset: number;
  focusKey?: string;
  toTop?: boolean;
  onWindow: (window: LineWindow & {height: number; span?: [number, number]}) => void;
}) {
  const {rows, height, offset, focusKey, toTop = false, onWindow} = props;
  const boxes = useRef(new Map<string, DOMElement>());
  const [measured, setMeasured] = useState<ReadonlyMap<string, number>>(new Map());
  // False while the last frame's heights differ from what this one was laid out with.
  const settled = useRef(true);
  const sized = rows.map((row) => ({...row, lines: measured.get(row.key) ?? row.lines}));
  const {starts, total} = rowStarts(sized);
  const span = focusKey ? starts.get(focusKey) : undefined;
  // The cursor just came to this row: show it from its top (rows above it may have just shrunk).
  const window = lineWindow(total, height, toTop && span ? span[0] : keepInView(offset, span, height));
  useEffect(() => {
    const next = new Map<string, number>();
    for (const row of rows) {
      const box = boxes.current.get(row.key);
      if (box) next.set(row.key, measureElement(box).height);
    }
    const changed = next.size !== measured.size || [...next].some(([key, lines]) => measured.get(key) !== lines);
    settled.current = !changed;
    if (changed) setMeasured(next);
  }, [rows, measured]);
  const {offset: at, view, max, above, below} = window;
  const [start, end] = span ?? [-1, -1];
  useEffect(() => {
    // A row that just opened or closed is measured on the next frame; the top of the row under
    // the cursor is known, and reported as done, only then.
    if (toTop && !settled.current) return;
    onWindow({offset: at, view, max, above, below, height, span: start < 0 ? undefined : [start, end]});
    // toTop and measured too: the state that asked for the top hears it was done, even when nothing moved.
  }, [at, view, max, above, below, height, start, end, toTop, measured, onWindow]);
  return (
    <Box flexDirection="column" flexShrink={0}>
      <More count={window.above} up />
      <Box height={window.view} overflow="hidden" flexDirection="column" flexShrink={0}>
        <Box marginTop={-window.offset} flexDirection="column" flexShrink={0}>
          {rows.map((row) => (
            <Box
              key={row.key}
              ref={(box: DOMElement | null) => {
                if (box) boxes.current.set(row.key, box);
                else boxes.current.delete(row.key);
              }}
              flexDirection="column"
              flexShrink={0}
            >
              {row.node}
            </Box>
          ))}
        </Box>
      </Box>
      <More count={window.below} up={false} />
    </Box>
  );
}
