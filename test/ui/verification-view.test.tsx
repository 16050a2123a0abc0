// The TUI's verification table keeps every cell inside its column: long values wrap within the
// cell instead of running under the next column.
import {afterEach, describe, expect, it} from 'vitest';
import type {VerificationResult} from '../../source/domain/cloud.js';
import {VerificationTable} from '../../source/ui/progress.js';
import {cleanupAll, renderAt, widestLine} from './helpers.js';

afterEach(cleanupAll);

const results: VerificationResult[] = [
  {
    control: 'ebs-encryption',
    title: 'EBS encryption',
    owner: 'AWS/Customer',
    expected: 'every volume encrypted with the new customer key (key/da7c58ff-1787-4102-a41d-17b8bfd05640)',
    actual: 'vol-eb7a2f976b454fd7f encrypted with key/da7c58ff-1787-4102-a41d-17b8bfd05640',
    status: 'pass',
    checkers: ['Security Hub EC2.3'],
    checkerVerdicts: [],
  },
];

describe('VerificationTable', () => {
  for (const columns of [110, 60]) {
    it(`wraps long cells inside their column at ${columns} columns`, () => {
      const {lastFrame} = renderAt(<VerificationTable results={results} width={columns} />, columns);
      const frame = lastFrame() ?? '';
      expect(widestLine(frame)).toBeLessThanOrEqual(columns);
      // Every word of both cells survives whole: nothing is hidden under the next column.
      const words = frame.split(/\s+/);
      for (const word of ['every', 'volume', 'encrypted', 'with', 'new', 'customer', 'vol-eb7a2f976b454fd7f']) expect(words).toContain(word);
    });
  }
});
