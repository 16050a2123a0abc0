// The baseline for tandem's first frame: the smallest Ink app, bundled by scripts/bundle.mjs
// exactly as tandem is (bench/run.mjs puts it in .bench/ink-hello/). One bordered "hello".
import {Box, Text, render} from 'ink';

render(
  <Box borderStyle="round">
    <Text>hello</Text>
  </Box>,
);
