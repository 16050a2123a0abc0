// What a person actually sees: the built binary in a pseudo-terminal of a given size, its output
// fed to a headless terminal emulator, read back as the rows on screen.
import {spawn, type IPty} from '@lydell/node-pty';
import xterm from '@xterm/headless';
import {CLI, cleanEnv, pause} from './pty-session.js';

export class SizedScreen {
  readonly exit: Promise<number>;
  private readonly pty: IPty;
  private readonly terminal: InstanceType<typeof xterm.Terminal>;

  constructor(
    readonly columns: number,
    readonly rows: number,
    args: string[] = [],
    env: Record<string, string> = cleanEnv(),
  ) {
    this.terminal = new xterm.Terminal({cols: columns, rows, allowProposedApi: true});
    this.pty = spawn(process.execPath, [CLI, ...args], {name: 'xterm-256color', cols: columns, rows, cwd: process.cwd(), env});
    this.pty.onData((data) => this.terminal.write(data));
    this.exit = new Promise((resolve) => this.pty.onExit(({exitCode}) => resolve(exitCode)));
  }

  /** The rows on screen now, without trailing blanks. */
  lines(): string[] {
    const buffer = this.terminal.buffer.active;
    return Array.from({length: this.rows}, (_, index) => buffer.getLine(buffer.viewportY + index)?.translateToString(true) ?? '');
  }

  text(): string {
    return this.lines().join('\n');
  }

  /** Waits until `check` holds for the rows on screen. */
  async until(check: (lines: string[]) => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    const started = Date.now();
    // The emulator parses asynchronously; an empty write resolves once earlier data is on screen.
    for (;;) {
      await new Promise<void>((resolve) => this.terminal.write('', resolve));
      if (check(this.lines())) return;
      if (Date.now() - started > timeoutMs) throw new Error(`waited ${timeoutMs} ms at ${this.columns}×${this.rows} for ${what}; the screen shows:\n${this.text()}`);
      await pause(40);
    }
  }

  /** The exit code, or a failure naming the screen if tandem is still running after `ms`. */
  async exitWithin(ms = 10_000): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`tandem did not exit within ${ms} ms; screen:\n${this.text()}`)), ms);
    });
    try {
      return await Promise.race([this.exit, timeout]);
    } finally {
      clearTimeout(timer);
      this.kill();
    }
  }

  async press(key: string): Promise<void> {
    await pause(60);
    this.pty.write(key);
  }

  resize(columns: number, rows: number): void {
    this.terminal.resize(columns, rows);
    this.pty.resize(columns, rows);
  }

  kill(): void {
    try {
      this.pty.kill();
    } catch {
      // already gone
    }
  }
}
