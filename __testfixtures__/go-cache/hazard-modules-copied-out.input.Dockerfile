FROM golang:1.23 AS deps
COPY go.mod go.sum ./
RUN go mod download

FROM golang:1.23
COPY --from=deps /go/pkg/mod /go/pkg/mod
