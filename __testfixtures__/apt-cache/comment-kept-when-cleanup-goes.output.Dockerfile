FROM debian:bookworm-slim
RUN --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \
    --mount=type=cache,target=/var/cache/apt,sharing=locked \
    apt-get update \
    && apt-get -o Dir::Cache::Archives=/var/cache/apt/dockerfix-archives/ -o APT::Keep-Downloaded-Packages=true install -y --no-install-recommends mariadb-server \
# purge and re-create /var/lib/mysql with appropriate ownership
    && rm -rf /var/lib/mysql \
    && mkdir -p /var/lib/mysql
