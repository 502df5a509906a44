FROM debian:bookworm-slim
RUN curl -o /tmp/app.tar.gz https://example.com/app.tar.gz
COPY app.tar.gz /tmp/app.tar.gz
RUN rm /tmp/app.tar.gz
