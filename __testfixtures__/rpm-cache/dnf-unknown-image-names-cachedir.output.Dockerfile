ARG REPO
FROM $REPO
RUN --mount=type=cache,target=/var/cache/dnf,sharing=locked \
    dnf --setopt=cachedir=/var/cache/dnf --setopt=keepcache=1 --refresh -y install vim-minimal
