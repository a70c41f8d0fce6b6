# syntax=docker/dockerfile:1
# Build a static binary, then ship it alone on a distroless base as non-root.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/interlock ./cmd/interlock \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/interlock /interlock
# The embedded store needs a directory the non-root user owns.
COPY --from=build --chown=nonroot:nonroot /out/data /data
ENV INTERLOCK_DATA_DIR=/data INTERLOCK_HTTP_ADDR=:8080
VOLUME /data
EXPOSE 8080
USER nonroot:nonroot
ENTRYPOINT ["/interlock"]
CMD ["serve"]
