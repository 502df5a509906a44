ARG BASE_PREFIX=
ARG GO_VERSION=1.22
FROM ${BASE_PREFIX}golang:${GO_VERSION}
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -o /app .
FROM debian:bookworm-slim
COPY --from=0 /app /app
