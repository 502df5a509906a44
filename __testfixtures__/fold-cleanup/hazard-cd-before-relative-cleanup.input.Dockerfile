FROM debian:bookworm-slim
RUN cd /tmp && curl -O https://example.com/tool.tar.gz
RUN rm tool.tar.gz
