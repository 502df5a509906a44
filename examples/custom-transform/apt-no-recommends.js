// A custom dockerfix transform: `dockerfix --transform examples/custom-transform/apt-no-recommends.js`.
// It uses the same contract as the built-in ones (see src/transform.ts): `meta` describes it, and
// `run(model, context)` returns fixes (text edits at offsets into model.text) and skips.
//
// It adds `--no-install-recommends` to `apt-get install`. That changes which packages get
// installed, so it is a `review` fix: reported always, applied only with --unsafe.

/** @type {import('dockerfix').Transform} */
export default {
  meta: {
    id: 'apt-no-recommends',
    title: 'Install apt packages without their recommended packages',
    description: 'Adds `--no-install-recommends` to `apt-get install` in shell-form RUNs.',
    why: 'Recommended packages are rarely needed in an image and can add hundreds of MB.',
    seeds: [],
    safety: 'review',
    modes: ['buildkit', 'portable'],
    example: {
      before: 'RUN apt-get install -y curl\n',
      after: 'RUN apt-get install -y --no-install-recommends curl\n',
    },
  },
  run(model) {
    const fixes = [];
    for (const instr of model.instructions) {
      if (instr.keyword !== 'RUN' || instr.run?.form !== 'shell' || !instr.text.includes('apt-get')) continue;
      const script = instr.script();
      if (!script || script.hasError) continue;
      for (const { command } of script.allCommands) {
        if (command.name !== 'apt-get') continue;
        const install = command.args.find((a) => a.value === 'install');
        if (!install || command.args.some((a) => a.value === '--no-install-recommends')) continue;
        // Offsets in the script are offsets in the joined RUN body; map them back to the file.
        const at = instr.run.body.sourceAt(install.end - 1) + 1;
        fixes.push({
          message: 'Added `--no-install-recommends` to `apt-get install`',
          safety: 'review',
          edits: [{ start: at, end: at, text: ' --no-install-recommends' }],
          at: instr.start,
        });
      }
    }
    return { fixes, skips: [] };
  },
};
