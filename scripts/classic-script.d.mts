// Types for scripts/classic-script.mjs, which the tests import.
export declare const HEADER: string;
export declare function toClassicScript(esm: string): {text: string; imports: string[]};
