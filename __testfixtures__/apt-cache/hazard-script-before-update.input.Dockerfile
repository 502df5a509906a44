FROM debian:bookworm-slim
RUN bash /tmp/library-scripts/common-debian.sh && apt-get update && apt-get install -y git && rm -rf /var/lib/apt/lists/*
