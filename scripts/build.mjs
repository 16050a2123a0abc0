// Bundles cli.tsx into dist/ so the installed `tandem` starts fast: one small file for the first
// frame, with the AWS SDK split into chunks that load only when a command needs them.
import {bundle} from './bundle.mjs';

await bundle('cli.tsx', 'dist');
