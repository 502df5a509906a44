FROM debian:bookworm-slim
COPY . /src
RUN rm -rf /tmp/*
