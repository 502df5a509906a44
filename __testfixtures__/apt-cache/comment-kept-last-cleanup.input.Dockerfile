FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y curl \
    # cleanup
    && rm -rf /var/lib/apt/lists/*
CMD ["curl", "--version"]
