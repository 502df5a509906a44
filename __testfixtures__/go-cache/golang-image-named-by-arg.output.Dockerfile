ARG BASE_PREFIX=
ARG GO_VERSION=1.22
FROM ${BASE_PREFIX}golang:${GO_VERSION}
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod \
    go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    go build -o /app .
FROM debian:bookworm-slim
COPY --from=0 /app /app
