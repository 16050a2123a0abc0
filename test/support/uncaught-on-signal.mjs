/* global setImmediate */
// Loaded into the built tandem by tests only (NODE_OPTIONS=--import=this file): on SIGUSR2 the
// process meets an error nothing catches, as a bug or a library's stray callback would raise,
// at a moment the test chooses (e.g. mid-launch). tandem itself has no test-only code for this.
// TANDEM_TEST_UNCAUGHT=rejection makes it a promise rejection nobody handles instead of a throw.
process.on('SIGUSR2', () => {
  const error = new TypeError('the disk cache went away');
  if (process.env.TANDEM_TEST_UNCAUGHT === 'rejection') void Promise.reject(error);
  else
    setImmediate(() => {
      throw error;
    });
});
