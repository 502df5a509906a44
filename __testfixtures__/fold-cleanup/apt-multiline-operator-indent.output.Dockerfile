FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
        git \
        make \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/*
