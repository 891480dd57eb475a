// Calls SOAP operations with the npm package `soap` (node-soap), a third SOAP
// client beside zeep and suds. Reads a JSON list of calls on stdin:
//   [{"wsdl": url, "soap12": bool, "service": s, "port": p, "operation": o,
//     "args": {...} or null, "headers": {...}}]
// and writes one JSON result per call on stdout: {"result": ...} when the
// answer parsed, {"fault": {"code", "string", "status"}} when node-soap read a
// SOAP fault, {"error": "..."} otherwise. One client per WSDL and SOAP version
// (node-soap writes SOAP 1.2 envelopes only with forceSoap12Headers).
'use strict';

const soap = require('soap');

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

function call(method, args, headers) {
  return new Promise((resolve, reject) => {
    method(args, (err, result, rawResponse) => {
      if (err) reject(err);
      else resolve({ result, rawResponse });
    }, { timeout: 10000 }, headers || {});
  });
}

function faultOf(err) {
  const body = err && err.root && err.root.Envelope && err.root.Envelope.Body;
  const fault = body && body.Fault;
  if (!fault) return null;
  let code = fault.faultcode;
  let text = fault.faultstring;
  if (code === undefined && fault.Code) code = fault.Code.Value;
  if (text === undefined && fault.Reason) {
    text = fault.Reason.Text && (fault.Reason.Text.$value || fault.Reason.Text);
  }
  const detail = fault.detail || fault.Detail || null;
  return {
    code: typeof code === 'object' ? JSON.stringify(code) : code,
    string: typeof text === 'object' ? JSON.stringify(text) : text,
    status: err.response && err.response.status,
    detail,
  };
}

async function main() {
  const calls = await readStdin();
  const clients = new Map();
  const results = [];
  for (const request of calls) {
    const key = `${request.wsdl} ${request.soap12}`;
    try {
      if (!clients.has(key)) {
        // no WSDL cache: clients of one WSDL would share its options (the SOAP version)
        clients.set(key, await soap.createClientAsync(request.wsdl, {
          forceSoap12Headers: Boolean(request.soap12),
          disableCache: true,
        }));
      }
      const client = clients.get(key);
      const method = client[request.service][request.port][request.operation];
      // null arguments: node-soap's way to call an rpc operation whose input has no part
      const { result } = await call(method, request.args, request.headers);
      results.push({ result: result === undefined ? null : result });
    } catch (err) {
      const fault = faultOf(err);
      results.push(fault ? { fault } : { error: String(err && (err.stack || err)) });
    }
  }
  process.stdout.write(JSON.stringify(results));
}

main().catch((err) => {
  process.stderr.write(String(err && (err.stack || err)));
  process.exit(1);
});
