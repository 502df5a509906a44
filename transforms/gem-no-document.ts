/**
 * gem-no-document: `gem install` generates ri and rdoc documentation for every gem, which no
 * container reads. Adds `--no-document`. A review fix in both modes: `ri` stops finding those gems'
 * documentation in the image. The ruby images already install without documentation: left alone there.
 */
import { DOCKER_DOCS } from '../src/core/references.js';
import type { Transform, TextEdit } from '../src/core/transform.js';
import { quote } from '../src/rewrite/edit.js';
import { gemDocumentationOff } from '../src/dockerfile/base-images.js';
import { runContext } from '../src/dockerfile/run-context.js';
import { insertWordAfter, runView } from '../src/dockerfile/run-view.js';
import { gemInstallsDocumentation } from '../src/tools/ruby.js';
import { argWord, invocation } from '../src/tools/command.js';

export const gemNoDocument: Transform<'documentation-configured'> = {
  meta: {
    id: 'gem-no-document',
    title: 'Install gems without ri/rdoc documentation (review)',
    description:
      'Adds `--no-document` to `gem install` and `gem update` that lack it (`--no-doc`, `-N`, `--no-ri`/`--no-rdoc` ' +
      'count as present). What changes: the ri and rdoc documentation of those gems is no longer generated, so ' +
      'the image is smaller and the install faster, and `ri <gem>` in the container finds nothing. Left alone in ' +
      'the ruby images (their gemrc already says `--no-document`) and where the file writes a gemrc that sets it.',
    why: 'Documentation generation often takes longer than the install and adds megabytes per gem that a container never reads.',
    seeds: ['000_e7050b95a6c7ffd0.txt'],
    safety: 'review',
    modes: ['buildkit', 'portable'],
    example: {
      before: 'FROM debian:bookworm\nRUN gem install bundler\n',
      after: 'FROM debian:bookworm\nRUN gem install --no-document bundler\n',
    },
    skips: {
      'documentation-configured': 'a gemrc written by the file (or the base image) already turns documentation off',
    },
    cacheable: true,
    references: [DOCKER_DOCS.layers],
    readme: 'Transforms › Cache transforms',
  },
  run(model, _context, report) {
    if (!/\bgem\s/.test(model.text)) return;
    const gemrc = /gemrc|gem:\s*--no-(document|rdoc)/.test(model.text);
    for (const instr of model.instructions) {
      if (instr.keyword !== 'RUN' || !/\bgem\s/.test(instr.text)) continue;
      const view = runView(model, instr);
      if (!view) continue;
      const edits: TextEdit[] = [];
      for (const { command } of view.commands) {
        const inv = invocation(command);
        if (!inv || !gemInstallsDocumentation(inv)) continue;
        const image = runContext(model, instr).base.image;
        if (gemrc || (image !== null && gemDocumentationOff(image))) {
          report.skip('documentation-configured', `${gemrc ? 'the file writes a gemrc or names the option elsewhere' : `\`${image}\` installs gems without documentation already`}; ${quote(instr)} is left as it is`, instr.start);
          edits.length = 0;
          break;
        }
        const sub = inv.args.findIndex((a) => a === 'install' || a === 'update');
        edits.push(insertWordAfter(view, command, argWord(inv, sub), '--no-document'));
      }
      if (edits.length === 0) continue;
      report.fix({
        message: `Added \`--no-document\` to gem in ${quote(instr)}; review: ri/rdoc documentation of these gems is no longer generated (smaller image, faster install; \`ri\` finds nothing for them)`,
        safety: 'review',
        edits,
        at: instr.start,
      });
    }
  },
};
