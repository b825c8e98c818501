# Build: docker build -t codenav .   Run: docker run -p 8080:8080 codenav
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/codenav ./cmd/codenav

FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /app
COPY --from=build /out/codenav /app/codenav
COPY --from=build /src/corpus/sec /app/corpus/sec
USER nonroot:nonroot
EXPOSE 8080
ENTRYPOINT ["/app/codenav"]
CMD ["serve", "--addr", ":8080", "--corpus", "/app/corpus/sec", "--data", "/tmp/codenav-data"]
