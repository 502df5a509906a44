FROM debian:bookworm-slim
RUN set -eux; \
	apt-get update; \
	apt-get install -y --no-install-recommends ca-certificates; \
	rm -rf /var/lib/apt/lists/*; \
	\
# fix permissions (especially for running as non-root)
	chmod -R +rX /etc/ssl
