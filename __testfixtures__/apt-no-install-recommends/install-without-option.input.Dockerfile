FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y \
        curl \
        python3-pip \
    && rm -rf /var/lib/apt/lists/*
RUN apt install -y git
