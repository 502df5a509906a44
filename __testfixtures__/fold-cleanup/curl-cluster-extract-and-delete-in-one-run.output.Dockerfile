FROM debian:bookworm-slim
RUN curl -fsSLO https://example.com/tool-2.0.tar.gz \
&& tar -xzf tool-2.0.tar.gz && rm tool-2.0.tar.gz
