// The resume offer's reducer on its own: what Enter decides for each highlighted answer, that one
// offer gets one decision, and how q and Ctrl+C leave.
import {describe, expect, test} from 'vitest';
import {defaultSpec} from '../../source/domain/spec.js';
import {RESUME_KEYS} from '../../source/ui/resume/mode.js';
import {initialResume, resumeChoices, resumeReducer, type ResumeMessage, type ResumeState} from '../../source/ui/resume/state.js';
import {helpLine} from '../../source/ui/keymap.js';

const draft = {savedAt: '2026-03-04T09:30:00.000Z', stepIndex: 5, spec: defaultSpec()};
const run = (messages: ResumeMessage[], from: ResumeState = initialResume) => messages.reduce(resumeReducer, from);
const offered = run([{type: 'offered', offer: {draft, notices: []}}]);

describe('resume offer reducer', () => {
  test('an offer starts on its first answer: resume when the answers were read, fresh when they could not be', () => {
    expect(offered).toEqual({offer: {draft, notices: []}, choice: 'resume'});
    const unreadable = run([{type: 'offered', offer: {notices: ['the kept answers were damaged and set aside']}}]);
    expect(unreadable.choice).toBe('fresh');
    expect(resumeChoices(unreadable.offer!)).toEqual(['fresh']);
  });

  test('Enter on resume asks to restore the kept answers; on fresh, to forget them', () => {
    expect(run([{type: 'next', count: 1}], offered).effect).toEqual({kind: 'resume', draft});
    expect(
      run(
        [
          {type: 'highlight', choice: 'fresh'},
          {type: 'next', count: 1},
        ],
        offered,
      ).effect,
    ).toEqual({kind: 'fresh'});
  });

  test('answers that could not be read can only be started afresh, whatever is highlighted', () => {
    const unreadable = run([
      {type: 'offered', offer: {notices: ['damaged']}},
      {type: 'highlight', choice: 'resume'},
      {type: 'next', count: 1},
    ]);
    expect(unreadable.effect).toEqual({kind: 'fresh'});
  });

  test('one offer, one decision: keys before it is carried out change nothing; then the offer goes', () => {
    const decided = run([{type: 'next', count: 1}], offered);
    expect(
      run(
        [
          {type: 'highlight', choice: 'fresh'},
          {type: 'next', count: 1},
          {type: 'quit', count: 1},
        ],
        decided,
      ),
    ).toBe(decided);
    expect(run([{type: 'effect-done'}], decided)).toEqual({choice: 'resume'});
  });

  test('q leaves with 0 and Ctrl+C with 130; Enter with no offer does nothing', () => {
    expect(run([{type: 'quit', count: 1}], offered).effect).toEqual({kind: 'quit', code: 0});
    expect(run([{type: 'interrupt', count: 1}], offered).effect).toEqual({kind: 'quit', code: 130});
    expect(run([{type: 'next', count: 1}])).toBe(initialResume);
  });

  test('its keys: the list owns ↑/↓, and the help line is generated from the keymap', () => {
    expect(RESUME_KEYS.listKeys).toBe(true);
    expect(helpLine(RESUME_KEYS)).toBe('↑↓ choose · enter select · q quit');
  });
});
