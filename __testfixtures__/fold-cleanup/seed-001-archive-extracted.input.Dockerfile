FROM debian:bookworm-slim
RUN curl -O https://example.com/large-file.tar.gz
RUN tar -xzf large-file.tar.gz
RUN rm large-file.tar.gz
