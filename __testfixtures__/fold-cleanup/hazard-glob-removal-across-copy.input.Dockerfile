FROM debian:bookworm-slim
RUN curl -o /tmp/tool.tgz https://example.com/tool.tgz
COPY config.json /tmp/config.json
RUN rm -rf /tmp/*
