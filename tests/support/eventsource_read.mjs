// Reads COUNT events from the SSE stream at URL with the eventsource package
// (the WHATWG EventSource), reconnecting as browsers do, and prints them as
// JSON lines: {"id", "type", "data"}. "open" is printed once connected.
import { EventSource } from 'eventsource';

const [url, count, ...types] = process.argv.slice(2);
const wanted = Number(count);
let seen = 0;
const source = new EventSource(url);
source.onopen = () => process.stdout.write(JSON.stringify({ open: true }) + '\n');
const take = (event) => {
  process.stdout.write(JSON.stringify({ id: event.lastEventId, type: event.type, data: event.data }) + '\n');
  seen += 1;
  if (seen >= wanted) {
    source.close();
    process.exit(0);
  }
};
for (const type of types) source.addEventListener(type, take);
source.onmessage = take;
setTimeout(() => { process.stderr.write(`only ${seen} of ${wanted} events\n`); process.exit(1); }, 20000);
