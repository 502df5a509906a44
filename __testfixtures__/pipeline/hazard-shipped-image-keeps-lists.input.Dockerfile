FROM debian:bookworm-slim
# Images built FROM this one may run `apt-get install` without `apt-get update`.
RUN apt-get update && apt-get install -y --no-install-recommends curl
