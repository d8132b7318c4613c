# syntax=docker/dockerfile:1
# Focused visits: three stages. Node builds the GOV.UK Frontend assets, Go
# builds a static binary that embeds them (with the templates and migrations),
# and the final image holds only that binary and runs as a non-root user.

FROM node:20-bookworm-slim AS assets
WORKDIR /src/web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY web/build.mjs ./
COPY web/static/src ./static/src
RUN npm run build

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=assets /src/web/static/dist ./web/static/dist
RUN CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o /out/focusedvisits ./cmd/focusedvisits

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/focusedvisits /focusedvisits
USER nonroot:nonroot
ENV APP_ENV=production ADDR=:8080
EXPOSE 8080
ENTRYPOINT ["/focusedvisits"]
CMD ["serve"]
