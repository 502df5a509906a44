FROM debian:bookworm-slim
ENV GOPATH=/work/go
RUN --mount=type=cache,target=/work/go/pkg/mod \
    go mod download
