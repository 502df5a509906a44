FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y curl

RUN apt-get install -y git
