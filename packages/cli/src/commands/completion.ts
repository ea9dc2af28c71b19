import type { Command } from '../command.ts'
import { COMPLETION_SHELLS, completionScript, type CompletionShell } from '../completion.ts'
import { UsageError } from '../errors.ts'

/** `isobar completion`; `loadAll` loads every command of the table (run.ts passes it: no import cycle). */
export const completionCommand = (loadAll: () => Promise<Command[]>): Command => ({
  name: 'completion',
  summary: 'Print a shell completion script (bash or zsh) for every command and option',
  arguments: [{ name: 'shell', required: true, choices: COMPLETION_SHELLS }],
  notes: [
    'Install (see packages/cli/README.md):',
    '  bash: isobar completion bash > ~/.local/share/bash-completion/completions/isobar',
    '  zsh:  isobar completion zsh > "${fpath[1]}/_isobar"   (or: source <(isobar completion zsh) in ~/.zshrc)',
  ].join('\n'),
  async run(args, ctx) {
    const shell = args.positionals[0] ?? ''
    if (!(COMPLETION_SHELLS as readonly string[]).includes(shell)) {
      throw new UsageError(`completion: the shell is one of ${COMPLETION_SHELLS.join(', ')}, got "${shell}"`)
    }
    // Completion needs the whole tree: this is the one command that loads every command module.
    ctx.stdout.write(completionScript(shell as CompletionShell, await loadAll()))
    return 0
  },
})
