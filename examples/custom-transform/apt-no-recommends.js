// A custom dockerfix transform: `dockerfix --transform examples/custom-transform/apt-no-recommends.js`.
// It uses the same contract as the built-in ones (src/core/transform.ts): `meta` describes it and
// declares its skip codes, and `run(model, context, report)` reports fixes (text edits at offsets
// into model.text) and skips. The helpers come from dockerfix's API, as the built-in ones use them.
//
// It adds `--no-install-recommends` to `apt-get install`. That changes which packages get
// installed, so it is a `review` fix: reported always, applied only with --unsafe.
import { aptSubcommand, argWord, insertWordAfter, invocation, runView } from 'dockerfix';

/** @type {import('dockerfix').Transform<'not-readable'>} */
export default {
  meta: {
    id: 'apt-no-recommends',
    title: 'Install apt packages without their recommended packages',
    description: 'Adds `--no-install-recommends` to `apt-get install` (shell, exec and heredoc RUNs).',
    why: 'Recommended packages are rarely needed in an image and can add hundreds of MB.',
    seeds: [],
    safety: 'review',
    modes: ['buildkit', 'portable'],
    example: {
      before: 'RUN apt-get install -y curl\n',
      after: 'RUN apt-get install --no-install-recommends -y curl\n',
    },
    skips: { 'not-readable': 'the RUN runs apt-get in a form whose commands cannot be read' },
  },
  run(model, _context, report) {
    for (const instr of model.instructions) {
      if (instr.keyword !== 'RUN' || !instr.text.includes('apt-get')) continue;
      // One view of the commands, whatever the RUN's form; its edits map back to the file.
      const view = runView(model, instr);
      if (!view) {
        report.skip('not-readable', 'the RUN is not a shell script this transform can read', instr.start);
        continue;
      }
      for (const { command } of view.commands) {
        const inv = invocation(command);
        if (!inv || aptSubcommand(inv) !== 'install' || inv.args.includes('--no-install-recommends')) continue;
        const install = argWord(inv, inv.args.indexOf('install'));
        report.fix({
          message: 'Added `--no-install-recommends` to `apt-get install`',
          safety: 'review',
          edits: [insertWordAfter(view, command, install, '--no-install-recommends')],
          at: instr.start,
        });
      }
    }
  },
};
