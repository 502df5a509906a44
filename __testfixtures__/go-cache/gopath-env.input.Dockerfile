FROM debian:bookworm-slim
ENV GOPATH=/work/go
RUN go mod download
