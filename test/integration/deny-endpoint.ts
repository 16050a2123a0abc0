// A raw HTTP endpoint that refuses every AWS call the way AWS does when a policy denies it:
// EC2 answers UnauthorizedOperation in its XML shape, IAM/STS AccessDenied in the query-protocol
// shape, and the JSON services (SSM, KMS) AccessDeniedException. Lets tests check that a denied
// call surfaces its code and message without needing an IAM-enforcing emulator.
import http from 'node:http';
import type {AddressInfo} from 'node:net';

export interface DenyEndpoint {
  url: string;
  close(): Promise<void>;
}

export async function startDenyEndpoint(): Promise<DenyEndpoint> {
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const target = request.headers['x-amz-target'];
      if (typeof target === 'string') {
        response.writeHead(400, {'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'AccessDeniedException'});
        response.end(JSON.stringify({__type: 'AccessDeniedException', message: `denied by test endpoint: ${target}`}));
        return;
      }
      const action = /Action=([A-Za-z]+)/.exec(body)?.[1] ?? 'unknown';
      if (/Version=2016-11-15/.test(body)) {
        response.writeHead(403, {'content-type': 'text/xml'});
        response.end(
          `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation: ec2:${action}</Message></Error></Errors><RequestID>test</RequestID></Response>`,
        );
        return;
      }
      response.writeHead(403, {'content-type': 'text/xml'});
      response.end(
        `<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not authorized to perform: ${action}</Message></Error><RequestId>test</RequestId></ErrorResponse>`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
