FROM registry.example/internal/base:7
RUN --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \
    --mount=type=cache,target=/var/cache/apt,sharing=locked \
    apt-get -y update && DEBIAN_FRONTEND=noninteractive apt-get -o Dir::Cache::Archives=/var/cache/apt/dockerfix-archives/ -o APT::Keep-Downloaded-Packages=true -y install curl
