// Preloaded with `node --import` in the benchmark's one untimed trace run: logs when every ES
// module of the bundle is loaded, so the benchmark can tell which chunks load before the first
// frame (and that no AWS SDK chunk does). tandem itself contains no tracing code.
import {register} from 'node:module';

register('./trace-hooks.mjs', import.meta.url);
