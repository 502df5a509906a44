FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y make && cd /src && make install && rm -rf /var/lib/apt/lists/*
