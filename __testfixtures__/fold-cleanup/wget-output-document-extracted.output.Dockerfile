FROM debian:bookworm-slim
RUN wget -q -O /tmp/app.tar.gz https://example.com/releases/app-1.2.tar.gz \
&& tar -xzf /tmp/app.tar.gz -C /opt \
&& rm /tmp/app.tar.gz
