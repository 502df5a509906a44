FROM debian:bookworm-slim AS a
RUN apt-get update && apt-get install -y curl

FROM debian:bookworm-slim AS b
# tools
RUN apt-get update && apt-get install -y git
