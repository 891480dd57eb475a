// Parses each AsyncAPI document named on the command line with the reference
// parser (@asyncapi/parser) and prints, as JSON, whether it is valid and the
// path and message of each error.
import { Parser, fromFile } from '@asyncapi/parser';

const parser = new Parser();
const verdicts = {};
for (const file of process.argv.slice(2)) {
  try {
    const { document, diagnostics } = await fromFile(parser, file).parse();
    verdicts[file] = {
      valid: document !== undefined,
      errors: diagnostics
        .filter((diagnostic) => diagnostic.severity === 0)
        .map((diagnostic) => ({ path: diagnostic.path.join('/'), message: diagnostic.message })),
    };
  } catch (error) {
    verdicts[file] = { valid: false, errors: [{ path: '', message: String(error) }] };
  }
}
process.stdout.write(JSON.stringify(verdicts));
