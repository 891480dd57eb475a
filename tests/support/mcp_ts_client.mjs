// A session with a generated notes MCP server through the official TypeScript
// SDK (an implementation independent of the Python `mcp` package), printed as
// one JSON object: tools listed, a tool called with arguments a mock matches,
// a resource read, a prompt got, a stepped tool call's progress and log
// notifications (none below the level logging/setLevel asked for), and
// tools/list_changed when a mock takes a tool away.
//
//   node mcp_ts_client.mjs URL http|sse
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  LoggingMessageNotificationSchema,
  ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';

const [base, kind] = process.argv.slice(2);
const transport = kind === 'sse'
  ? new SSEClientTransport(new URL(`${base}/sse`))
  : new StreamableHTTPClientTransport(new URL(`${base}/mcp`));
const client = new Client({ name: 'mockc-ts-check', version: '1.0.0' });
const seen = { logs: [], progress: [] };
const listChanged = new Promise((resolve) => {
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => resolve(true));
});
client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
  seen.logs.push(notification.params);
});
const timeout = setTimeout(() => {
  process.stderr.write(`timed out; seen so far: ${JSON.stringify(seen)}\n`);
  process.exit(1);
}, 30000);

await client.connect(transport);
seen.protocol = transport.protocolVersion ?? null;
seen.server = client.getServerVersion();
seen.tools = (await client.listTools()).tools;
seen.matched = await client.callTool({ name: 'search_notes', arguments: { query: 'mcp' } });
seen.readme = await client.readResource({ uri: 'notes://readme' });
seen.note = await client.readResource({ uri: 'notes://notes/42' });
seen.prompt = await client.getPrompt({ name: 'summarise', arguments: { id: '7', style: 'bullet' } });
await client.setLoggingLevel('info');
seen.stepped = await client.callTool(
  { name: 'add_note', arguments: { title: 'slow', text: 'x' } },
  undefined,
  { onprogress: (progress) => seen.progress.push(progress) },
);
await client.setLoggingLevel('warning');
await client.callTool({ name: 'add_note', arguments: { title: 'slow', text: 'x' } });
seen.logsAfterWarning = seen.logs.length;
seen.capabilities = client.getServerCapabilities();
const created = await fetch(`${base}/__mockc/mocks`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ id: `ts_gone_${kind}`, operation: 'tool_search_notes', response: { fault: { kind: 'gone' } } }),
});
seen.created = created.status;
seen.listChanged = await listChanged;
seen.toolsAfter = (await client.listTools()).tools.map((tool) => tool.name);
await fetch(`${base}/__mockc/mocks/ts_gone_${kind}`, { method: 'DELETE' });
await client.close();
clearTimeout(timeout);
process.stdout.write(JSON.stringify(seen) + '\n');
