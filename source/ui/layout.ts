// The terminal's size, following resizes, and the arithmetic screens use to fit it: how many
// lines a paragraph takes at a width, and how many lines are left for a screen's body.
import {useEffect, useState} from 'react';
import {useStdout} from 'ink';
import {wrap} from '../domain/report-wrap.js';

export interface Layout {
  columns: number;
  /** Lines of the terminal; Infinity when unknown (not a terminal, a test renderer). */
  rows: number;
}

function read(stdout: NodeJS.WriteStream): Layout {
  const rows = stdout.rows;
  return {columns: stdout.columns || 80, rows: typeof rows === 'number' && rows > 0 ? rows : Infinity};
}

/** The terminal's columns and rows, updated on every resize. */
export function useLayout(): Layout {
  const {stdout} = useStdout();
  const [layout, setLayout] = useState(() => read(stdout));
  useEffect(() => {
    const onResize = () => setLayout(read(stdout));
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return layout;
}

/** Lines `text` takes when wrapped at word boundaries to `width` columns. */
export function linesOf(text: string, width: number): number {
  if (!text) return 0;
  return wrap(text, Math.max(1, width)).length;
}

/** Screens narrower than this put the responsibility panel below the options instead of beside. */
export const SIDE_BY_SIDE = 100;

/** Lines that are always there around a screen's body, and the body's share. */
export function bodyLines(rows: number, header: number, footer: number): number {
  // One spare line: a frame as tall as the terminal makes Ink clear the screen and scroll.
  return rows === Infinity ? Infinity : Math.max(3, rows - header - footer - 1);
}
