// `skewcheck init`: scaffold the config, a working example and a CI workflow.
import type { Command } from 'commander';
import { scaffold } from '../init/index.js';
import type { CliContext } from './context.js';

export function registerInitCommand(program: Command, context: CliContext): void {
  program
    .command('init')
    .summary('scaffold skewcheck.yaml, a working example and a GitHub Actions workflow')
    .description(
      'Create skewcheck.yaml with one example feature set (events, batch SQL, streaming module) ' +
        'and .github/workflows/skewcheck.yml, which runs `skewcheck check` on pull requests. ' +
        'Existing files are left alone unless --force is given.',
    )
    .option('--dir <path>', 'where to scaffold (default: the working directory)')
    .option('--force', 'overwrite files that already exist')
    .action((flags: { dir?: string; force?: boolean }) => {
      const files = scaffold(flags.dir ?? process.cwd(), { force: flags.force });
      for (const file of files) {
        const note = file.status === 'skipped' ? ' (exists; kept — use --force to overwrite)' : '';
        context.stdout.write(`${file.status.padEnd(11)} ${file.path}${note}\n`);
      }
      context.stdout.write('\nNext: npx skewcheck check\n');
    });
}
