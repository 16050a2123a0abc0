// Terminal output as a person reads it: every escape sequence (colours, cursor moves, titles,
// synchronized-output markers) removed. Used by the pty tests and the benchmark alike.
const ANSI = /\u001B(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001B]*(?:\u0007|\u001B\\)|[@-Z\\-_])/g;

export const stripAnsi = (text: string) => text.replace(ANSI, '');
