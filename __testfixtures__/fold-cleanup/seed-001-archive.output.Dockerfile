FROM debian:bookworm-slim
RUN curl -O https://example.com/large-file.tar.gz && rm large-file.tar.gz
