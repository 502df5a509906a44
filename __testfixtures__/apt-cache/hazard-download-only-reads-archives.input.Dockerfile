FROM debian:bookworm-slim AS debs
RUN apt-get update && apt-get install -y --download-only hello && mkdir /debs && cp /var/cache/apt/archives/*.deb /debs/ && rm -rf /var/lib/apt/lists/*
