FROM oraclelinux:8
RUN --mount=type=cache,target=/var/cache/dnf,sharing=locked \
    yum --setopt=keepcache=1 --refresh -y install unzip
