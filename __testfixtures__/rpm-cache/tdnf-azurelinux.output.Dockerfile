FROM mcr.microsoft.com/azurelinux/base/core:3.0
RUN --mount=type=cache,target=/var/cache/tdnf,sharing=locked \
    tdnf --setopt=keepcache=1 --refresh install -y ca-certificates
