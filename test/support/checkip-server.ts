// A stand-in for AWS's checkip service on 127.0.0.1, for TANDEM_CHECKIP_URL: it answers with a
// fixed body, answers nothing at all (a slow network), or is closed (offline).
import http from 'node:http';
import type {AddressInfo} from 'node:net';

export interface CheckipServer {
  url: string;
  /** Requests received so far. */
  hits: () => number;
  close: () => Promise<void>;
}

/** `body` undefined: accept the request and never answer. */
export async function startCheckip(body: string | undefined, status = 200): Promise<CheckipServer> {
  let hits = 0;
  const held: http.ServerResponse[] = [];
  const server = http.createServer((_request, response) => {
    hits += 1;
    if (body === undefined) {
      held.push(response);
      return;
    }
    response.writeHead(status, {'content-type': 'text/plain'});
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    hits: () => hits,
    close: async () => {
      for (const response of held) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A URL on which nothing listens: a port that was just free, closed again. */
export async function closedUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/`;
}
