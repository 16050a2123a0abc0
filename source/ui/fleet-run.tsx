// Draws the fleet deploy on a terminal while it runs; the caller feeds it the fleet's events and
// stops it before printing the closing lines. Ink is loaded only for this, never for scripts.
import {render} from 'ink';
import type {CommandIO} from '../context.js';
import type {FleetEvent, FleetTarget} from '../domain/fleet.js';
import {FleetProgress} from './fleet-progress.js';
import {initialFleetProgress, reduceFleetProgress} from './fleet-progress-state.js';

export function startFleetView(io: CommandIO, name: string, targets: FleetTarget[]): {onEvent: (event: FleetEvent) => void; stop: () => Promise<void>} {
  let state = initialFleetProgress(name, targets);
  const instance = render(<FleetProgress state={state} />, {
    stdout: io.stdout as NodeJS.WriteStream,
    stderr: io.stderr as NodeJS.WriteStream,
    stdin: io.stdin as NodeJS.ReadStream,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return {
    onEvent: (event) => {
      state = reduceFleetProgress(state, event);
      instance.rerender(<FleetProgress state={state} />);
    },
    stop: async () => {
      instance.unmount();
      await instance.waitUntilExit().catch(() => undefined);
    },
  };
}
