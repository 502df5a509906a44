FROM debian:bookworm-slim AS build
RUN apt-get update && apt-get install -y curl
RUN ./install-deps.sh
FROM debian:bookworm-slim
COPY --from=build /usr/bin/curl /usr/bin/curl
