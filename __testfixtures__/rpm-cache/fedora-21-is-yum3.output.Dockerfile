FROM fedora:21
RUN --mount=type=cache,target=/var/cache/yum,sharing=locked \
    yum --setopt=keepcache=1 install -y gcc
