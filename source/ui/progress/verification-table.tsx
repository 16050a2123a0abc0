// The verification table: one row per check with owner, expected, actual, result and the
// checkers that care; columns on wide terminals, one block per check on narrow ones.
import {Box} from 'ink';
import {Text} from '../text.js';
import type {VerificationResult} from '../../domain/cloud.js';
import {checkerSummary, verdictPhrase} from '../../domain/checker-verdicts.js';
import {t} from '../../domain/safe-text.js';
import {OwnerBadge, Para} from '../widgets.js';

/** Column names and shares of the wide verification table. */
const COLUMN_SHARES: Array<[string, number]> = [
  ['control', 0.19],
  ['owner', 0.09],
  ['expected', 0.24],
  ['actual', 0.24],
  ['result', 0.07],
  ['checkers would say', 0.17],
];

// Whole columns: with percentages the layout gets fractional widths, text wraps one character
// wider than its cell and the next column covers the last letter.
function columnWidths(width: number): Array<[string, number]> {
  return COLUMN_SHARES.map(([name, share]) => [name, Math.floor(width * share)]);
}

export function VerificationTable({results, width}: {results: VerificationResult[]; width: number}) {
  const passed = results.filter((result) => result.status === 'pass').length;
  const failed = results.filter((result) => result.status === 'fail').length;
  const status = (result: VerificationResult) => (
    <Text color={result.status === 'pass' ? 'green' : result.status === 'fail' ? 'red' : 'gray'} bold>
      {result.status.toUpperCase()}
    </Text>
  );
  const COLUMNS = columnWidths(width);
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold underline>
        Verification: {passed} passed, {failed} failed
      </Text>
      <Text dimColor>{checkerSummary(results.flatMap((result) => result.checkerVerdicts))}</Text>
      {width >= 100 ? (
        <Box flexDirection="column">
          <Box>
            {COLUMNS.map(([name, size]) => (
              <Box key={name} width={size} paddingRight={1}>
                <Text dimColor>{name}</Text>
              </Box>
            ))}
          </Box>
          {results.map((result, index) => (
            <Box key={`${result.control}-${index}`}>
              <Box width={COLUMNS[0][1]} paddingRight={1}>
                <Para>{result.title}</Para>
              </Box>
              <Box width={COLUMNS[1][1]} paddingRight={1}>
                <OwnerBadge owner={result.owner} />
              </Box>
              <Box width={COLUMNS[2][1]} paddingRight={1}>
                <Para>{t`${result.expected}`}</Para>
              </Box>
              <Box width={COLUMNS[3][1]} paddingRight={1}>
                <Para>{t`${result.actual}`}</Para>
              </Box>
              <Box width={COLUMNS[4][1]} paddingRight={1}>
                {status(result)}
              </Box>
              <Box width={COLUMNS[5][1]}>
                <Para dimColor>{t`${verdictPhrase(result.checkerVerdicts)}`}</Para>
              </Box>
            </Box>
          ))}
        </Box>
      ) : (
        results.map((result, index) => (
          <Box key={`${result.control}-${index}`} flexDirection="column" marginTop={1}>
            <Box flexWrap="wrap" columnGap={1}>
              {status(result)}
              <Text>{result.title}</Text>
              <OwnerBadge owner={result.owner} />
            </Box>
            <Box paddingLeft={2}>
              <Para dimColor>{t`expected ${result.expected}; actual ${result.actual}${result.checkerVerdicts.length ? t` · checkers: ${verdictPhrase(result.checkerVerdicts)}` : ''}`}</Para>
            </Box>
          </Box>
        ))
      )}
    </Box>
  );
}
