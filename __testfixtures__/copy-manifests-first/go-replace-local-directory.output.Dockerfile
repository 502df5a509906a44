FROM golang:1.23
WORKDIR /src
COPY go.mod go.sum ./
COPY lib/go.mod ./lib/
COPY tools/gen/go.mod ./tools/gen/
RUN go mod download
COPY . .
RUN go build -o /app .
