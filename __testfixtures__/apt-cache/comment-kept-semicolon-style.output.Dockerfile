FROM debian:bookworm-slim
RUN --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \
    --mount=type=cache,target=/var/cache/apt,sharing=locked \
    set -eux; \
	apt-get update; \
	apt-get -o Dir::Cache::Archives=/var/cache/apt/dockerfix-archives/ -o APT::Keep-Downloaded-Packages=true install -y --no-install-recommends ca-certificates; \
	\
# fix permissions (especially for running as non-root)
	chmod -R +rX /etc/ssl
