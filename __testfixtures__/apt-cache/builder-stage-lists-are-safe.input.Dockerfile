FROM debian:bookworm-slim AS build
RUN apt-get update && apt-get install -y gcc
RUN gcc --version > /version
FROM debian:bookworm-slim
COPY --from=build /version /version
