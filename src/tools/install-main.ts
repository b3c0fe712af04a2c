// `node dist/src/tools/install-main.js [--json] [--test-backends]` does what `safedeploy tools install` does without the CLI
// around it, for CI steps that run before (or without) the command wiring.
import { describeInstalledTools, installTools } from './install';
import { errorMessage } from '../errors';

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  try {
    const tools = await installTools({
      log: (message) => process.stderr.write(`tools: ${message}\n`),
      testBackends: argv.includes('--test-backends'),
    });
    process.stdout.write(describeInstalledTools(tools, json));
    return 0;
  } catch (err) {
    process.stderr.write(`tools: ${errorMessage(err)}\n`);
    return 3;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
