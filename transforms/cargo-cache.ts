/**
 * cargo-cache: `cargo build` and `cargo fetch` download every crate again on each rebuild of the
 * layer. buildkit mode only: cache mounts on Cargo's registry and git checkouts
 * (`$CARGO_HOME/registry`, `$CARGO_HOME/git`; the rust images' CARGO_HOME is /usr/local/cargo).
 * The crate sources are read by later builds, so every Cargo RUN of a stage chain gets the mounts
 * or none does. The build's `target/` is its product and is never mounted.
 */
import type { Transform } from '../src/core/transform.js';
import { findRuns, reportProductCaches, PRODUCT_CACHE_META, type CacheToolSpec } from '../src/rewrite/cache-mounts.js';
import { CARGO_COMMAND, cargoCaches } from '../src/tools/cargo.js';

const spec: CacheToolSpec = {
  hint: CARGO_COMMAND,
  uses(inv, ctx) {
    const caches = cargoCaches(inv, ctx);
    return caches === null ? null : { command: inv.command, caches, disablingWords: [] };
  },
};

export const cargoCache: Transform = {
  meta: {
    id: 'cargo-cache',
    title: 'Cache Cargo crate downloads across builds',
    description:
      'Adds `--mount=type=cache,target=$CARGO_HOME/registry` and `…/git` (CARGO_HOME from ENV or the rust ' +
      'image, else `~/.cargo`) to every RUN that runs a cargo command that fetches or reads crates (`build`, ' +
      '`fetch`, `install`, `test`, …). Every Cargo RUN of a stage chain gets the mounts or none does, and a ' +
      '`COPY --from` of the registry or a CMD that runs cargo leaves the chain alone. `target/` (the build ' +
      'product that later instructions copy) and `$CARGO_HOME/bin` (installed binaries) are never mounted. ' +
      'buildkit mode only.',
    why: 'Without a cache mount, any change that rebuilds the layer downloads every crate again.',
    example: {
      before: 'FROM rust:1.80\nCOPY . .\nRUN cargo build --release\n',
      after:
        'FROM rust:1.80\nCOPY . .\nRUN --mount=type=cache,target=/usr/local/cargo/registry \\\n    --mount=type=cache,target=/usr/local/cargo/git \\\n    cargo build --release\n',
    },
    ...PRODUCT_CACHE_META,
  },
  run(model, _context, report) {
    reportProductCaches(model, findRuns(model, spec), report, { tool: 'Cargo', runtime: /\bcargo\b/, command: CARGO_COMMAND });
  },
};
