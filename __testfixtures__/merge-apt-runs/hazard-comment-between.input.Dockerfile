FROM debian:bookworm-slim
RUN apt-get update
# tools
RUN apt-get install -y curl
