/**
 * apt-no-install-recommends: `apt-get install` also installs every package the requested ones
 * recommend, often tens or hundreds of MB nobody asked for. Adds `--no-install-recommends`. A
 * review fix in both modes: it changes what is installed, and a program may need a package it
 * only recommends.
 */
import { DOCKER_DOCS } from '../src/core/references.js';
import type { Transform, TextEdit } from '../src/core/transform.js';
import { quote } from '../src/rewrite/edit.js';
import { insertWordAfter, runView } from '../src/dockerfile/run-view.js';
import { aptSubcommand, installsRecommends } from '../src/tools/apt.js';
import { argWord, invocation } from '../src/tools/command.js';

export const aptNoInstallRecommends: Transform<'recommends-configured'> = {
  meta: {
    id: 'apt-no-install-recommends',
    title: 'Install apt packages without their recommended packages (review)',
    description:
      'Adds `--no-install-recommends` to `apt-get install` and `apt install` that lack it (and set no ' +
      '`APT::Install-Recommends` themselves). What changes: the packages the requested ones only *recommend* ' +
      '(and those their dependencies recommend) are no longer installed: for `git`, ca-certificates, ' +
      'openssh-client, less and patch; for `python3-pip`, build-essential and the compilers. The image is ' +
      'smaller, but a program that uses one of them fails until it is named in the install (without ' +
      'ca-certificates, `curl https://…` and `git clone https://…` fail). Always a review fix: apply with ' +
      '`--unsafe` after checking the build and tests, and name the recommended packages you need.',
    why:
      'Recommended packages are the biggest silent cost of apt in images: Debian and Ubuntu install them by ' +
      'default, and they often outweigh what was asked for.',
    seeds: ['000_e7050b95a6c7ffd0.txt'],
    safety: 'review',
    modes: ['buildkit', 'portable'],
    example: {
      before: 'RUN apt-get update && apt-get install -y curl\n',
      after: 'RUN apt-get update && apt-get install -y --no-install-recommends curl\n',
    },
    skips: {
      'recommends-configured': "the file sets APT::Install-Recommends in apt's configuration, so the option would change nothing or undo it",
    },
    cacheable: true,
    references: [DOCKER_DOCS.aptGet],
    readme: 'Transforms › Cache transforms',
  },
  run(model, _context, report) {
    if (!/\bapt(-get)?\b[^\n]*\binstall\b/.test(model.text)) return;
    const configured = /APT::Install-Recommends/i.test(model.text);
    for (const instr of model.instructions) {
      if (instr.keyword !== 'RUN' || !/\bapt(-get)?\b/.test(instr.text)) continue;
      const view = runView(model, instr);
      if (!view) continue;
      const edits: TextEdit[] = [];
      for (const { command } of view.commands) {
        const inv = invocation(command);
        if (!inv || inv.name === 'aptitude' || aptSubcommand(inv) !== 'install' || !installsRecommends(inv)) continue;
        if (configured) {
          report.skip('recommends-configured', `the file sets APT::Install-Recommends; ${quote(instr)} is left as it is`, instr.start);
          edits.length = 0;
          break;
        }
        const sub = inv.args.indexOf('install');
        edits.push(insertWordAfter(view, command, argWord(inv, sub), '--no-install-recommends'));
      }
      if (edits.length === 0) continue;
      report.fix({
        message:
          `Added \`--no-install-recommends\` to apt in ${quote(instr)}; review: the packages these only recommend are ` +
          'no longer installed (smaller image), and a program that needs one of them must name it',
        safety: 'review',
        edits,
        at: instr.start,
      });
    }
  },
};
