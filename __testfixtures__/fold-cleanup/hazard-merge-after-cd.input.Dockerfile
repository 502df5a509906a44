FROM debian:bookworm-slim
RUN curl -O https://example.com/tool.tar.gz && cd /opt
RUN tar -xzf /tool.tar.gz
RUN rm /tool.tar.gz
