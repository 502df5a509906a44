/**
 * dotnet-cache: `dotnet restore` downloads every NuGet package again on each rebuild of the layer.
 * buildkit mode only: a cache mount on the global packages folder (`~/.nuget/packages`,
 * NUGET_PACKAGES). Restored packages are read by the later `dotnet build`/`publish` of the
 * project (often in another RUN, with `--no-restore`), so every dotnet RUN of a stage chain gets the
 * mount or none does, and a CMD that runs `dotnet run`/`test` in the container leaves it alone.
 */
import type { Transform } from '../src/core/transform.js';
import { findRuns, oneCacheSpec, reportProductCaches, PRODUCT_CACHE_META } from '../src/rewrite/cache-mounts.js';
import { DOTNET_COMMAND, nugetPackages } from '../src/tools/dotnet.js';

const spec = oneCacheSpec(DOTNET_COMMAND, 'the NuGet packages', nugetPackages);

export const dotnetCache: Transform = {
  meta: {
    id: 'dotnet-cache',
    title: 'Cache NuGet packages across builds (dotnet restore)',
    description:
      'Adds `--mount=type=cache,target=/root/.nuget/packages` (NUGET_PACKAGES, the user and HOME) to every RUN ' +
      'that runs `dotnet restore`, `build`, `publish`, `test`, `pack` or `run`. The restored packages are read ' +
      'by the later build of the project, so every dotnet RUN of a stage chain gets the mount or none does; a ' +
      'CMD/ENTRYPOINT of the chain that runs `dotnet run`/`test`/`watch`, or a `COPY --from` of the packages, ' +
      'leaves the chain alone. buildkit mode only.',
    why: 'Without a cache mount, any change that rebuilds the restore layer downloads every package again.',
    example: {
      before: 'FROM mcr.microsoft.com/dotnet/sdk:8.0\nCOPY *.csproj .\nRUN dotnet restore\n',
      after:
        'FROM mcr.microsoft.com/dotnet/sdk:8.0\nCOPY *.csproj .\nRUN --mount=type=cache,target=/root/.nuget/packages \\\n    dotnet restore\n',
    },
    ...PRODUCT_CACHE_META,
  },
  run(model, _context, report) {
    reportProductCaches(model, findRuns(model, spec), report, {
      tool: 'dotnet',
      runtime: /\bdotnet["\s,]+(run|test|watch|build)\b/,
      command: DOTNET_COMMAND,
    });
  },
};
