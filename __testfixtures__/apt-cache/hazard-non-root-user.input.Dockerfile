FROM debian:bookworm-slim
USER app
RUN apt-get update && apt-get install -y curl
