FROM debian:bookworm-slim
RUN curl -O https://example.com/a.tar.gz && curl -O https://example.com/b.tar.gz
RUN rm a.tar.gz; rm -f b.tar.gz
