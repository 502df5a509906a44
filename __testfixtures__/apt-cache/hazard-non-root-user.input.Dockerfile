FROM debian:bookworm-slim
USER app
RUN sudo apt-get update && sudo apt-get install -y curl
