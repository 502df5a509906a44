FROM debian:sid
RUN --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \
    --mount=type=cache,target=/var/cache/apt,sharing=locked \
    apt-get update && apt-get -o Dir::Cache::Archives=/var/cache/apt/dockerfix-archives/ -o APT::Keep-Downloaded-Packages=true install -y curl
